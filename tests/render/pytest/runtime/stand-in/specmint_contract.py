"""Stand-in for the contract module of a generated suite (render/pytest/project-files.ts writes the real one),
with the same tables, for the runtime's unit tests (test_specmint_runtime.py)."""

API = {"title": "Unit API", "version": "1.0"}

SECURITY_SCHEMES = {
    "bearer": {"type": "http", "scheme": "bearer", "env": {"token": "UNIT_TOKEN"}},
    "basic": {"type": "http", "scheme": "basic", "env": {"username": "UNIT_USER", "password": "UNIT_PASSWORD"}},
    "digest": {"type": "http", "scheme": "Digest", "env": {"token": "UNIT_TOKEN"}},
    "oauth": {"type": "oauth2", "env": {"token": "UNIT_TOKEN"}},
    "headerKey": {"type": "apiKey", "in": "header", "name": "X-Key", "env": {"token": "UNIT_KEY"}},
    "queryKey": {"type": "apiKey", "in": "query", "name": "api key", "env": {"token": "UNIT_KEY"}},
    "cookieKey": {"type": "apiKey", "in": "cookie", "name": "session", "env": {"token": "UNIT_KEY"}},
}

OPERATIONS = {
    "getPet": {
        "method": "GET",
        "path": "/pets/{id}",
        "responses": [
            {
                "status": "200",
                "contents": [{"mediaType": "application/json", "schema": {"$ref": "#/components/schemas/Pet"}}],
            },
            {"status": "4XX", "contents": [{"mediaType": "application/*+json"}]},
            {"status": "default", "contents": []},
        ],
    },
    "listPets": {
        "method": "GET",
        "path": "/pets",
        "responses": [{"status": "200", "contents": [{"mediaType": "text/plain"}]}],
    },
    "createPet": {
        "method": "POST",
        "path": "/pets",
        "responses": [
            {
                "status": "201",
                "contents": [{"mediaType": "application/json", "schema": {"$ref": "#/components/schemas/Pet"}}],
                "headers": [
                    {"name": "Location", "required": True, "schema": {"type": "string"}},
                    {"name": "X-Rate-Remaining", "required": False, "schema": {"type": "integer", "minimum": 0}},
                    {"name": "X-Flags", "required": False, "schema": {"type": "array", "items": {"type": "boolean"}}},
                ],
            },
            {"status": "400", "contents": [{"mediaType": "application/json"}]},
        ],
    },
    "deletePet": {
        "method": "DELETE",
        "path": "/pets/{id}",
        "responses": [{"status": "204", "contents": []}],
    },
}

SCHEMAS = {
    "Pet": {
        "type": "object",
        "required": ["id", "name"],
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string", "pattern": "^[A-Z]"},
            "born": {"type": "string", "format": "date"},
        },
    },
    "Count": {"type": "integer", "minimum": 0},
}
