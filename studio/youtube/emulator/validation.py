"""Request validation against the discovery document shipped inside google-api-python-client.

The document (``googleapiclient/discovery_cache/documents/youtube.v3.json``) is the machine-readable contract:
it gives every method's HTTP verb and path, its query parameters (required, repeated, type, enum) and the schema
of its request body. What YouTube answers when a request breaks it:

- unknown query parameter, repeated non-repeated parameter, bad integer/boolean/enum value: 400 ``badRequest``
  (Google's front end refuses to bind it: "Invalid JSON payload received. Unknown name ...");
- missing required parameter: 400 ``required`` with ``location`` = the parameter;
- a ``part`` value the resource does not have: 400 ``unknownPart`` (domain ``youtube.part``);
- a body field the schema does not have: 400 ``badRequest`` ("Cannot find field"), a wrong JSON type too.
"""

from __future__ import annotations

import json
import pathlib
from dataclasses import dataclass, field
from typing import Any

from studio.youtube.emulator.errors import ApiError

ROOT_PARAMETERS = {
    "$.xgafv", "access_token", "alt", "callback", "fields", "key", "oauth_token", "prettyPrint",
    "quotaUser", "uploadType", "upload_protocol",
}  # fmt: skip


def discovery_path() -> pathlib.Path:
    import googleapiclient

    return pathlib.Path(googleapiclient.__file__).parent / "discovery_cache" / "documents" / "youtube.v3.json"


@dataclass(frozen=True)
class Method:
    id: str  # "youtube.liveBroadcasts.insert"
    http_method: str
    path: str  # "youtube/v3/liveBroadcasts"
    parameters: dict[str, dict[str, Any]]
    request_schema: str | None
    response_schema: str | None
    media_upload: bool
    parts: frozenset[str] = field(default_factory=frozenset)

    @property
    def name(self) -> str:  # "liveBroadcasts.insert": the name used for quota, faults and handlers
        from studio.youtube.quota import method_name

        return method_name(self.id)


class Discovery:
    """The methods and schemas of the YouTube Data API v3, indexed for the server."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.schemas: dict[str, dict[str, Any]] = document["schemas"]
        self.methods: dict[tuple[str, str], Method] = {}
        self._index(document["resources"])

    def _index(self, resources: dict[str, Any]) -> None:
        # resources nest: the streaming chat is youtube.youtube.v3.liveChat.messages.stream
        for resource in resources.values():
            for desc in resource.get("methods", {}).values():
                method = self._method(desc)
                self.methods[(method.http_method, method.path)] = method
            self._index(resource.get("resources", {}))

    @classmethod
    def load(cls, path: pathlib.Path | None = None) -> Discovery:
        return cls(json.loads((path or discovery_path()).read_text(encoding="utf-8")))

    def _method(self, desc: dict[str, Any]) -> Method:
        request = desc.get("request", {}).get("$ref")
        response = desc.get("response", {}).get("$ref")
        return Method(
            id=desc["id"],
            http_method=desc["httpMethod"],
            path=desc["path"],
            parameters=desc.get("parameters", {}),
            request_schema=request,
            response_schema=response,
            media_upload="mediaUpload" in desc,
            parts=frozenset(self._resource_parts(request or response)),
        )

    def _resource_parts(self, schema_name: str | None) -> set[str]:
        """The part names of the resource a method reads or writes (its top-level properties)."""
        if not schema_name:
            return set()
        props = self.schemas[schema_name].get("properties", {})
        if schema_name.endswith("ListResponse") and "items" in props:
            item = props["items"].get("items", {}).get("$ref")
            return self._resource_parts(item)
        return {name for name in props if name not in ("kind", "etag")}

    def find(self, http_method: str, path: str) -> Method | None:
        """The method for a request path such as '/youtube/v3/liveBroadcasts' or the upload variant."""
        rel = path.lstrip("/").removeprefix("upload/")
        return self.methods.get((http_method, rel))

    # --- query parameters ---------------------------------------------------------------------------

    def check_query(self, method: Method, query: dict[str, list[str]]) -> dict[str, Any]:
        """Validate the query string; returns the values (lists for repeated parameters)."""
        values: dict[str, Any] = {}
        for name, given in query.items():
            spec = method.parameters.get(name)
            if spec is None:
                if name in ROOT_PARAMETERS:
                    continue
                raise _unbindable(name, f"Field '{name}' could not be found in request message.")
            if len(given) > 1 and not spec.get("repeated"):
                raise _unbindable(name, f"Field '{name}' is not repeated but was given {len(given)} times.")
            converted = [self._convert(name, spec, value) for value in given]
            values[name] = converted if spec.get("repeated") else converted[0]
        for name, spec in method.parameters.items():
            if spec.get("required") and name not in values:
                raise ApiError(
                    400, "required", f"Required parameter: {name}", "global", location=name,
                    location_type="parameter",
                )  # fmt: skip
        if "part" in method.parameters and "part" in values:
            values["part"] = self.check_parts(method, values["part"])
        return values

    @staticmethod
    def _convert(name: str, spec: dict[str, Any], value: str) -> Any:
        kind = spec.get("type")
        if kind == "integer":
            try:
                return int(value)
            except ValueError:
                raise _bad_value(name, value, "TYPE_INT32") from None
        if kind == "boolean":
            if value not in ("true", "false"):
                raise _bad_value(name, value, "TYPE_BOOL")
            return value == "true"
        if "enum" in spec and value not in spec["enum"]:
            raise _bad_value(name, value, "TYPE_ENUM")
        return value

    @staticmethod
    def check_parts(method: Method, raw: list[str] | str) -> list[str]:
        items = [raw] if isinstance(raw, str) else raw
        parts: list[str] = []
        for chunk in items:
            for part in chunk.split(","):
                part = part.strip()
                if not part:
                    continue
                if part not in method.parts:
                    raise ApiError(400, "unknownPart", f"'{part}'", "youtube.part", location="part")
                if part not in parts:
                    parts.append(part)
        if not parts:
            raise ApiError(400, "required", "Required parameter: part", "global", location="part")
        return parts

    # --- request bodies ------------------------------------------------------------------------------

    def check_body(self, method: Method, body: Any) -> None:
        if method.request_schema is None:
            return
        if not isinstance(body, dict):
            raise _invalid_payload("Invalid JSON payload received. Expected an object as the request body.")
        self._check_object(body, method.request_schema, "resource")

    def _check_object(self, value: dict[str, Any], schema_name: str, where: str) -> None:
        props = self.schemas[schema_name].get("properties", {})
        for key, item in value.items():
            spec = props.get(key)
            if spec is None:
                raise _invalid_payload(
                    f"Invalid JSON payload received. Unknown name \"{key}\" at '{where}': Cannot find field."
                )
            self._check_value(item, spec, f"{where}.{key}" if where != "resource" else f"resource.{key}")

    def _check_value(self, item: Any, spec: dict[str, Any], where: str) -> None:
        if item is None:
            return
        if "$ref" in spec:
            if not isinstance(item, dict):
                raise _invalid_payload(f"Invalid value at '{where}': expected an object.")
            self._check_object(item, spec["$ref"], where)
            return
        kind = spec.get("type")
        if kind == "array":
            if not isinstance(item, list):
                raise _invalid_payload(f"Invalid value at '{where}': expected a list.")
            for element in item:
                self._check_value(element, spec.get("items", {}), where)
        elif kind == "object":
            if not isinstance(item, dict):
                raise _invalid_payload(f"Invalid value at '{where}': expected an object.")
            extra = spec.get("additionalProperties")
            if extra:
                for sub in item.values():
                    self._check_value(sub, extra, where)
        elif kind == "boolean" and not isinstance(item, bool):
            raise _invalid_payload(f"Invalid value at '{where}' (TYPE_BOOL), {json.dumps(item)}")
        elif kind == "integer" and (isinstance(item, bool) or not isinstance(item, int | str)):
            raise _invalid_payload(f"Invalid value at '{where}' (TYPE_INT), {json.dumps(item)}")
        elif kind == "string" and not isinstance(item, str):
            raise _invalid_payload(f"Invalid value at '{where}' (TYPE_STRING), {json.dumps(item)}")


def _unbindable(name: str, detail: str) -> ApiError:
    return ApiError(
        400,
        "badRequest",
        f'Invalid JSON payload received. Unknown name "{name}": Cannot bind query parameter. {detail}',
        "global",
    )


def _bad_value(name: str, value: str, kind: str) -> ApiError:
    return ApiError(400, "badRequest", f"Invalid value at '{name}' ({kind}), \"{value}\"", "global")


def _invalid_payload(message: str) -> ApiError:
    return ApiError(400, "badRequest", message, "global")
