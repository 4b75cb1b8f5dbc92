"""Who the local provider knows: its tenants, its users and the one client (the platform).

Shaped like Microsoft Entra ID: every user has a home tenant; the multi-tenant discovery document
(``/organizations/v2.0/...``) publishes the issuer with the literal ``{tenantid}`` placeholder,
while each token carries its concrete tenant (``tid``) and issuer. ``xms_edov`` ("e-mail domain
owner verified") is Entra's optional claim that says the e-mail's domain belongs to the tenant;
users of a non-Entra provider carry the standard ``email_verified`` instead.
"""

# Tenant ids (UUIDs, as Entra's): Amstelveen is connected to the network in the tests, "Elsewhere"
# (a municipality that is not a member) is not.
AMSTELVEEN = "6f1c2c51-3c1e-4a54-9b0e-8e6f0c1a2b3d"
ELSEWHERE = "0b7e5d9a-2f44-4c1b-8d3e-5a6b7c8d9e0f"

CLIENT_ID = "3a2b1c0d-stedennet-test-client"
CLIENT_SECRET = "test-only-client-secret"

DEFAULT = {
    "tenants": {
        AMSTELVEEN: "Gemeente Amstelveen",
        ELSEWHERE: "Gemeente Elders",
    },
    "clients": {
        CLIENT_ID: {"secret": CLIENT_SECRET, "redirect_uris": []},
    },
    # id: the button on the sign-in page; oid: the user's object id in the tenant.
    "users": {
        "civil-servant-amstelveen": {
            "tenant": AMSTELVEEN, "oid": "9d6a1c2e-0000-4000-8000-000000000001",
            "name": "Anne Ambtenaar", "email": "anne.ambtenaar@amstelveen.example", "xms_edov": True,
        },
        "unverified-amstelveen": {
            "tenant": AMSTELVEEN, "oid": "9d6a1c2e-0000-4000-8000-000000000002",
            "name": "Ursula Unverified", "email": "ursula@amstelveen.example", "xms_edov": False,
        },
        "civil-servant-elsewhere": {
            "tenant": ELSEWHERE, "oid": "9d6a1c2e-0000-4000-8000-000000000003",
            "name": "Erik Elders", "email": "erik@elders.example", "xms_edov": True,
        },
    },
}
