"""The register of assets: services, forms, views."""
