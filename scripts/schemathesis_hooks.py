"""Schemathesis hooks for scripts/schemathesis.sh.

A cluster spec names an image, a flavor and an external network of the caller's project, its size must fit the
project's quota, and the component properties the document marks `x-disco-fits-flavor` (memory per process, Spark
executors) must fit the nodes' flavors: facts of the cloud at request time that no schema can state, as is whether an
allowed source network has bits set after its prefix (the server
answers 400 naming each, with what the cloud has). Schema-valid (positive) specs get the cloud's names, 1 to
DISCO_ST_WORKERS workers (within the simulated quota; with none, every component's processes share the master, more
than the largest simulated flavor holds) and the server's default for flavor-sized properties, so they test the
server's own rules; negative cases are left as generated.
"""
import os

import schemathesis

IMAGE = os.environ.get("DISCO_ST_IMAGE", "ubuntu-22.04")
FLAVOR = os.environ.get("DISCO_ST_FLAVOR", "m1.xlarge")
EXTERNAL = os.environ.get("DISCO_ST_EXTERNAL_NETWORK", "public")
MAX_WORKERS = int(os.environ.get("DISCO_ST_WORKERS", "2"))
SOURCES = ["203.0.113.0/24", "2001:db8::/32", "198.51.100.7"]


def flavor_sized(document):
    """{component: {property, ...}} of the properties marked x-disco-fits-flavor in the document."""
    schemas = document.get("components", {}).get("schemas", {})
    components = schemas.get("ClusterSpec", {}).get("properties", {}).get("components", {}).get("properties", {})
    return {
        name: {key for key, prop in schema.get("properties", {}).items() if prop.get("x-disco-fits-flavor")}
        for name, schema in components.items()
    }


@schemathesis.hook
def before_call(context, case, kwargs):
    if case.operation.definition.raw.get("operationId") not in ("createCluster", "planCluster"):
        return
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or not isinstance(case.body, dict):
        return
    for role in ("master", "worker"):
        if isinstance(case.body.get(role), dict):
            case.body[role] = {"image": IMAGE, "flavor": FLAVOR}
    if "externalNetwork" in case.body:
        case.body["externalNetwork"] = EXTERNAL
    # A network's host bits (10.0.0.1/24 is refused, naming 10.0.0.0/24) and octet ranges are beyond a pattern.
    if isinstance(case.body.get("allowedSources"), list):
        case.body["allowedSources"] = SOURCES[: max(1, min(len(case.body["allowedSources"]), len(SOURCES)))]
    if isinstance(case.body.get("workers"), int):
        case.body["workers"] = max(1, min(case.body["workers"], MAX_WORKERS))
    components = case.body.get("components")
    if isinstance(components, dict):
        sized = flavor_sized(case.operation.schema.raw_schema)
        for name, properties in components.items():
            if isinstance(properties, dict):
                for key in sized.get(name, ()):
                    properties.pop(key, None)
