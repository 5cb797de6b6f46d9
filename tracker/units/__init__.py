"""The real unit map of the reorganisation: loader, pages."""
