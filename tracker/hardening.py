"""HTTP hardening: security headers on every answer, the proxy's scheme, Secure cookies over HTTPS.

The Content-Security-Policy allows scripts and styles from the app's own files only: no inline
script, no ``style=""`` attribute, no CDN (the offices have no internet anyway), no framing.
Bootstrap's own scripts set styles through the CSSOM, which the policy does not restrict.
"""
from __future__ import annotations

from flask import Flask, Response, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",  # data: for Bootstrap's inline SVG icons; blob: for the camera later
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers older than CSP 2
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "geolocation=(), microphone=(), camera=(self)",
}


class SessionInterface(SecureCookieSessionInterface):
    """The session cookie is Secure whenever the request came over HTTPS (after ProxyFix, the proxy's)."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config.get("SESSION_COOKIE_SECURE")) or request.is_secure


def _add_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if response.mimetype == "text/html":
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def behind_proxy(wsgi_app, hops: int):  # noqa: ANN001, ANN201
    """Take the client's address, scheme, host and port from ``hops`` trusted proxies' X-Forwarded-* headers."""
    return ProxyFix(wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)


def init_app(app: Flask) -> None:
    """Trust the proxy if told to, make cookies Secure over HTTPS, and add the headers."""
    hops = app.config.get("PROXY_HOPS", 0)
    if hops:
        app.wsgi_app = behind_proxy(app.wsgi_app, hops)
    app.session_interface = SessionInterface()
    app.after_request(_add_headers)
