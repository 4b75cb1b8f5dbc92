"""A small OpenID Connect provider for the tests, shaped like Microsoft Entra ID (v2.0 endpoints).

Test-only: the standard library's HTTP server, PyJWT and cryptography (RS256). It runs as its own
process (``python -m tests.oidc_provider``), so the platform talks to it over HTTP exactly as to a
real provider: discovery, the authorization code flow with PKCE (S256 only) and a nonce, the token
endpoint (client_secret_post or client_secret_basic), the signing keys (JWKS).

Routes (``{t}`` is ``organizations``, ``common`` or a tenant id):

- ``GET /{t}/v2.0/.well-known/openid-configuration``: for ``organizations``/``common`` the issuer is
  the literal ``{base}/{tenantid}/v2.0`` (as Entra publishes it); for a tenant id, the concrete one.
- ``GET /{t}/oauth2/v2.0/authorize``: checks the client, the exact redirect address,
  ``response_type=code``, scope ``openid``, ``state``, ``nonce`` and an S256 ``code_challenge``,
  then shows a page with one button per user (a tenant's own users first, see ``users_of``).
  ``POST`` (the button) → a one-time code (60 s) bound to the client, redirect address, nonce and
  challenge → ``302 redirect_uri?code=…&state=…``.
- ``POST /{t}/oauth2/v2.0/token``: the code once, the PKCE verifier, the client's secret → an ID
  token with Entra's claims (``iss`` of the user's home tenant, ``tid``, ``oid``, pairwise ``sub``,
  ``xms_edov`` or ``email_verified``, the nonce).
- ``GET /{t}/discovery/v2.0/keys``: the JWKS.
- ``POST /_control`` (JSON), test-only: ``{"next_token": MODE}`` spoils the next ID token, MODE one
  of ``expired``, ``bad_signature`` (signed with another key under the same key id), ``tampered``
  (a claim changed after signing), ``wrong_aud``, ``wrong_nonce``; ``{"redirect_uri": URL}``
  registers a redirect address; ``{"user": {...}}`` adds a user; ``{"reset": true}`` forgets the
  spoiling, added users and codes. ``GET /_control``: the claims of every ID token issued.
"""

import base64
import hashlib
import html
import json
import re
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

MODES = {"expired", "bad_signature", "tampered", "wrong_aud", "wrong_nonce"}
CODE_SECONDS = 60
TOKEN_SECONDS = 3600
KEY_ID = "stedennet-test-key-1"
TENANT = r"(?P<tenant>organizations|common|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"
ROUTES = [
    ("GET", re.compile(rf"^/{TENANT}/v2\.0/\.well-known/openid-configuration$"), "discovery"),
    ("GET", re.compile(rf"^/{TENANT}/oauth2/v2\.0/authorize$"), "authorize"),
    ("POST", re.compile(rf"^/{TENANT}/oauth2/v2\.0/authorize$"), "authorize_decide"),
    ("POST", re.compile(rf"^/{TENANT}/oauth2/v2\.0/token$"), "token"),
    ("GET", re.compile(rf"^/{TENANT}/discovery/v2\.0/keys$"), "keys"),
    ("GET", re.compile(r"^/_control$"), "control_show"),
    ("POST", re.compile(r"^/_control$"), "control"),
]


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


class Provider:
    """The provider's state: configuration, keys, codes waiting to be redeemed, the spoiling."""

    def __init__(self, config: dict):
        self.config = json.loads(json.dumps(config))  # a copy of its own
        self.base_users = dict(self.config["users"])
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.lock = threading.Lock()
        self.codes: dict[str, dict] = {}
        self.next_mode: str | None = None
        self.issued: list[dict] = []
        self.base_url = ""

    # --- documents ---------------------------------------------------------------------------

    def discovery(self, tenant: str) -> dict:
        base = self.base_url
        issuer_tenant = "{tenantid}" if tenant in {"organizations", "common"} else tenant
        return {
            "issuer": f"{base}/{issuer_tenant}/v2.0",
            "authorization_endpoint": f"{base}/{tenant}/oauth2/v2.0/authorize",
            "token_endpoint": f"{base}/{tenant}/oauth2/v2.0/token",
            "jwks_uri": f"{base}/{tenant}/discovery/v2.0/keys",
            "userinfo_endpoint": f"{base}/oidc/userinfo",
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "scopes_supported": ["openid", "profile", "email", "offline_access"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "code_challenge_methods_supported": ["S256"],
            "claims_supported": ["sub", "iss", "aud", "exp", "iat", "nbf", "nonce", "name", "preferred_username",
                                 "email", "oid", "tid", "ver", "xms_edov", "email_verified"],
        }

    def jwks(self) -> dict:
        jwk = RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return {"keys": [{**jwk, "kid": KEY_ID, "use": "sig", "alg": "RS256"}]}

    def users_of(self, tenant: str) -> dict[str, dict]:
        """Who may sign in at a tenant's endpoints: that tenant's users first, then everyone else.
        (Lenient on purpose: a user of another tenant gets a token with their own tenant's
        issuer, which a single-tenant client must refuse.)"""
        users = self.config["users"]
        own = {uid: user for uid, user in users.items() if user["tenant"] == tenant}
        return {**own, **users}

    # --- the flow --------------------------------------------------------------------------------

    def check_authorize(self, query: dict[str, str]) -> tuple[str | None, str | None]:
        """(error, description): None when the request may go on to the user's choice."""
        client = self.config["clients"].get(query.get("client_id", ""))
        if client is None:
            return "unauthorized_client", "unknown client_id"
        if query.get("redirect_uri") not in client["redirect_uris"]:
            return "invalid_redirect_uri", "redirect_uri not registered for this client"
        if query.get("response_type") != "code":
            return "unsupported_response_type", "only the authorization code flow"
        if "openid" not in query.get("scope", "").split():
            return "invalid_scope", "scope openid required"
        for name in ("state", "nonce", "code_challenge"):
            if not query.get(name):
                return "invalid_request", f"{name} required"
        if query.get("code_challenge_method") != "S256":
            return "invalid_request", "code_challenge_method S256 required"
        return None, None

    def code_issue(self, query: dict[str, str], user_id: str) -> str:
        code = secrets.token_urlsafe(32)
        with self.lock:
            self.codes[code] = {
                "client_id": query["client_id"], "redirect_uri": query["redirect_uri"], "nonce": query["nonce"],
                "code_challenge": query["code_challenge"], "user": user_id, "expires": time.time() + CODE_SECONDS,
            }
        return code

    def token(self, form: dict[str, str], basic: tuple[str, str] | None) -> tuple[int, dict]:
        client_id, secret = basic or (form.get("client_id", ""), form.get("client_secret", ""))
        client = self.config["clients"].get(client_id)
        if client is None or not secrets.compare_digest(client["secret"], secret):
            return 401, {"error": "invalid_client"}
        if form.get("grant_type") != "authorization_code":
            return 400, {"error": "unsupported_grant_type"}
        with self.lock:
            grant = self.codes.pop(form.get("code", ""), None)  # once only
            mode, self.next_mode = self.next_mode, None
        if grant is None or grant["expires"] < time.time() or grant["client_id"] != client_id:
            return 400, {"error": "invalid_grant", "error_description": "unknown, used or expired code"}
        if form.get("redirect_uri") != grant["redirect_uri"]:
            return 400, {"error": "invalid_grant", "error_description": "redirect_uri differs"}
        verifier = form.get("code_verifier", "")
        if not verifier or b64url(hashlib.sha256(verifier.encode("ascii")).digest()) != grant["code_challenge"]:
            return 400, {"error": "invalid_grant", "error_description": "PKCE verification failed"}
        user = self.config["users"][grant["user"]]
        return 200, {
            "token_type": "Bearer", "scope": "openid profile email", "expires_in": TOKEN_SECONDS,
            "access_token": secrets.token_urlsafe(32),
            "id_token": self.id_token(user, client_id=client_id, nonce=grant["nonce"], mode=mode),
        }

    def id_token(self, user: dict, *, client_id: str, nonce: str, mode: str | None) -> str:
        now = int(time.time())
        tenant = user["tenant"]
        claims = {
            "ver": "2.0",
            "iss": f"{self.base_url}/{tenant}/v2.0",
            "aud": client_id,
            "sub": b64url(hashlib.sha256(f"{user['oid']}:{client_id}".encode()).digest()),  # pairwise
            "oid": user["oid"], "tid": tenant, "name": user["name"],
            "preferred_username": user.get("email") or f"{user['oid']}@{tenant}",
            "iat": now, "nbf": now, "exp": now + TOKEN_SECONDS, "nonce": nonce,
        }
        if user.get("email"):
            claims["email"] = user["email"]
        for flag in ("xms_edov", "email_verified"):
            if flag in user:
                claims[flag] = user[flag]
        if mode == "expired":
            claims.update(iat=now - 2 * TOKEN_SECONDS, nbf=now - 2 * TOKEN_SECONDS, exp=now - TOKEN_SECONDS)
        elif mode == "wrong_aud":
            claims["aud"] = "00000000-0000-0000-0000-another-app"
        elif mode == "wrong_nonce":
            claims["nonce"] = secrets.token_urlsafe(16)
        key = self.other_key if mode == "bad_signature" else self.key
        token = jwt.encode(claims, key, algorithm="RS256", headers={"kid": KEY_ID, "typ": "JWT"})
        if mode == "tampered":  # the payload changed after signing, the signature kept
            header, _payload, signature = token.split(".")
            forged = {**claims, "email": "bureau@stedennet.example", "xms_edov": True}
            token = ".".join([header, b64url(json.dumps(forged).encode()), signature])
        with self.lock:
            self.issued.append({**claims, "_mode": mode})
        return token

    # --- control ---------------------------------------------------------------------------------

    def control(self, data: dict) -> tuple[int, dict]:
        with self.lock:
            if data.get("reset"):
                self.next_mode = None
                self.codes.clear()
                self.issued.clear()
                self.config["users"] = dict(self.base_users)
            if "next_token" in data:
                if data["next_token"] not in MODES:
                    return 400, {"error": f"next_token must be one of {sorted(MODES)}"}
                self.next_mode = data["next_token"]
            if "redirect_uri" in data:
                for client in self.config["clients"].values():
                    if data["redirect_uri"] not in client["redirect_uris"]:
                        client["redirect_uris"].append(data["redirect_uri"])
            if "user" in data:
                user = dict(data["user"])
                self.config["users"][user.pop("id")] = user
        return 200, {"ok": True}


class Handler(BaseHTTPRequestHandler):
    server_version = "StedennetTestOP/1.0"
    provider: Provider  # set on the class by serve()

    def log_message(self, format, *args):  # quiet: the tests read the outcome, not the log
        pass

    def do_GET(self):
        self.route("GET")

    def do_POST(self):
        self.route("POST")

    def route(self, method: str):
        url = urlsplit(self.path)
        self.query = {k: v[0] for k, v in parse_qs(url.query).items()}
        for route_method, pattern, name in ROUTES:
            match = pattern.match(url.path)
            if match and route_method == method:
                getattr(self, name)(**match.groupdict())
                return
        self.send_json(404, {"error": "not_found"})

    # --- responses ---------------------------------------------------------------------------

    def send_json(self, status: int, data: dict):
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def send_html(self, status: int, body: str):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def redirect(self, url: str):
        self.send_response(302)
        self.send_header("Location", url)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def form(self) -> dict[str, str]:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode()
        return {k: v[0] for k, v in parse_qs(raw).items()}

    def redirect_error(self, query: dict, error: str, description: str):
        params = {"error": error, "error_description": description}
        if query.get("state"):
            params["state"] = query["state"]
        self.redirect(f"{query['redirect_uri']}?{urlencode(params)}")

    # --- routes --------------------------------------------------------------------------------

    def discovery(self, tenant):
        self.send_json(200, self.provider.discovery(tenant))

    def keys(self, tenant):
        self.send_json(200, self.provider.jwks())

    def authorize(self, tenant):
        error, description = self.provider.check_authorize(self.query)
        if error in {"unauthorized_client", "invalid_redirect_uri"}:  # nowhere safe to send the error
            self.send_html(400, f"<!DOCTYPE html><title>Error</title><p>{html.escape(error)}: "
                                f"{html.escape(description)}</p>")
            return
        if error:
            self.redirect_error(self.query, error, description)
            return
        buttons = "".join(
            f'<li><button type="submit" name="user" value="{html.escape(uid)}">{html.escape(user["name"])} '
            f'({html.escape(user.get("email", ""))})</button></li>'
            for uid, user in self.provider.users_of(tenant).items()
        )
        self.send_html(200, f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Sign in (test provider)</title></head><body><main><h1>Pick an account</h1>
<form method="post"><ul>{buttons}</ul>
<button type="submit" name="cancel" value="1">Cancel</button></form></main></body></html>""")

    def authorize_decide(self, tenant):
        error, _description = self.provider.check_authorize(self.query)
        if error:
            self.send_html(400, f"<!DOCTYPE html><title>Error</title><p>{html.escape(error)}</p>")
            return
        form = self.form()
        if form.get("cancel"):
            self.redirect_error(self.query, "access_denied", "the user cancelled")
            return
        if form.get("user") not in self.provider.users_of(tenant):
            self.send_html(400, "<!DOCTYPE html><title>Error</title><p>unknown user</p>")
            return
        code = self.provider.code_issue(self.query, form["user"])
        self.redirect(f"{self.query['redirect_uri']}?{urlencode({'code': code, 'state': self.query['state']})}")

    def token(self, tenant):
        basic = None
        authorization = self.headers.get("Authorization", "")
        if authorization.startswith("Basic "):
            from urllib.parse import unquote

            client_id, _, secret = base64.b64decode(authorization[6:]).decode().partition(":")
            basic = (unquote(client_id), unquote(secret))
        status, data = self.provider.token(self.form(), basic)
        self.send_json(status, data)

    def control_show(self):
        with self.provider.lock:
            self.send_json(200, {"issued": list(self.provider.issued)})

    def control(self):
        length = int(self.headers.get("Content-Length") or 0)
        try:
            data = json.loads(self.rfile.read(length) or b"{}")
        except ValueError:
            self.send_json(400, {"error": "JSON expected"})
            return
        self.send_json(*self.provider.control(data))


def serve(config: dict, host: str = "127.0.0.1", port: int = 0) -> ThreadingHTTPServer:
    """A server bound to ``host``:``port`` (0: a free one), not yet serving."""
    provider = Provider(config)
    handler = type("BoundHandler", (Handler,), {"provider": provider})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    provider.base_url = f"http://{host}:{server.server_address[1]}"
    server.provider = provider
    return server
