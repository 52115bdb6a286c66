import DiscoCore

/// The OpenAPI 3 description of the REST API, served at `/api/v1/openapi.json`.
enum OpenAPIDocument {
    static let json: String = #"""
    {
      "openapi": "3.0.3",
      "info": {"title": "DISCO REST API", "version": "1.0.0",
               "description": "Create, follow, scale, suspend/resume, health-check and delete distributed-computing clusters on OpenStack. Every call except /tokens, /components and /openapi.json needs an X-Auth-Token header (a Keystone token); clusters are scoped to the token's project. Errors are {\"error\": {\"status\", \"message\", \"problems\": [{path, found, problem, accepted}]}}."},
      "servers": [{"url": "/api/v1"}],
      "components": {
        "securitySchemes": {"keystone": {"type": "apiKey", "in": "header", "name": "X-Auth-Token"}},
        "schemas": {
          "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "object", "required": ["status", "message", "problems"], "properties": {
            "status": {"type": "integer"}, "message": {"type": "string"},
            "problems": {"type": "array", "items": {"$ref": "#/components/schemas/Problem"}}}}}},
          "Problem": {"type": "object", "required": ["path", "problem", "accepted"], "properties": {
            "path": {"type": "string"}, "found": {"type": "string"}, "problem": {"type": "string"}, "accepted": {"type": "string"}}},
          "NodeSpec": {"type": "object", "additionalProperties": false, "required": ["image", "flavor"], "properties": {"image": {"type": "string"}, "flavor": {"type": "string"}}},
          "ClusterSpec": {"type": "object", "additionalProperties": false, "required": ["name", "master", "workers", "externalNetwork"], "properties": {
            "name": {"type": "string", "pattern": "\#(ClusterSpec.namePattern.source)", "maxLength": \#(ClusterSpec.maxNameLength)},
            "master": {"$ref": "#/components/schemas/NodeSpec"},
            "worker": {"$ref": "#/components/schemas/NodeSpec"},
            "workers": {"type": "integer", "minimum": 0, "maximum": \#(SpecLimits.standard.maxWorkers)},
            "network": {"type": "string"},
            "externalNetwork": {"type": "string"},
            "components": {"type": "object", "additionalProperties": {"type": "object", "additionalProperties": {"type": "string"}}},
            "ttlSeconds": {"type": "integer"},
            "tags": {"type": "array", "items": {"type": "string"}}}},
          "Cluster": {"type": "object", "required": ["id", "name", "state", "stateReason", "progress", "workers", "components", "ui", "createdAt"], "properties": {
            "id": {"type": "string"}, "name": {"type": "string"},
            "state": {"type": "string", "enum": ["accepted", "provisioning", "installing", "ready", "scaling", "suspending", "suspended", "resuming", "deleting", "deleted", "failed"]},
            "stateReason": {"type": "string"}, "progress": {"type": "integer"}, "workers": {"type": "integer"}, "desiredWorkers": {"type": "integer"},
            "master": {"$ref": "#/components/schemas/NodeSpec"}, "worker": {"$ref": "#/components/schemas/NodeSpec"},
            "network": {"type": "string"}, "externalNetwork": {"type": "string"},
            "components": {"type": "array", "items": {"type": "object", "properties": {"name": {"type": "string"}, "version": {"type": "string"}, "reason": {"type": "string"}, "state": {"type": "string", "enum": ["pending", "installing", "ready", "failed"]}, "detail": {"type": "string"}, "properties": {"type": "object", "additionalProperties": {"type": "string"}}}}},
            "externalIP": {"type": "string"}, "masterAddress": {"type": "string"}, "sshKeyName": {"type": "string"}, "loginUser": {"type": "string"}, "sshPublicKey": {"type": "string"},
            "statusPage": {"type": "string"},
            "ui": {"type": "array", "items": {"type": "object", "properties": {"component": {"type": "string"}, "name": {"type": "string"}, "url": {"type": "string"}, "port": {"type": "integer"}, "isPublic": {"type": "boolean"}}}},
            "stackName": {"type": "string"}, "stackID": {"type": "string"}, "stackStatus": {"type": "string"}, "stackStatusReason": {"type": "string"},
            "totals": {"$ref": "#/components/schemas/Totals"}, "tags": {"type": "array", "items": {"type": "string"}},
            "createdAt": {"type": "string", "format": "date-time"}, "updatedAt": {"type": "string", "format": "date-time"},
            "expiresAt": {"type": "string", "format": "date-time"}, "lastEvent": {"type": "string"},
            "timeline": {"type": "array", "items": {"$ref": "#/components/schemas/Phase"}},
            "health": {"$ref": "#/components/schemas/ClusterHealth"}}},
          "Phase": {"type": "object", "description": "A step of the create, seconds after the request", "properties": {"phase": {"type": "string", "enum": ["validated", "inventory_checked", "keys_made", "credential_made", "stack_created", "servers_active", "component_signalled", "ready"]}, "component": {"type": "string"}, "seconds": {"type": "number"}}},
          "ClusterHealth": {"type": "object", "description": "The health monitor's last judgement of a ready cluster, from the health document its master publishes; absent before the first check and in other states.", "required": ["status", "reasons", "checkedAt", "nodes", "failedReads"], "properties": {
            "status": {"type": "string", "enum": \#(healthStatuses), "description": "green: all well; yellow: degraded but usable (e.g. a worker's daemon down); red: a master daemon or probe down, or the document unreadable for several checks"},
            "reasons": {"type": "array", "description": "Why it is not green, worst first", "items": {"$ref": "#/components/schemas/HealthReason"}},
            "checkedAt": {"type": "string", "format": "date-time", "description": "When DISCO last read (or tried to read) the document"},
            "reportedAt": {"type": "string", "format": "date-time", "description": "When the master's gatherer wrote the document"},
            "nodes": {"type": "array", "items": {"$ref": "#/components/schemas/NodeHealth"}},
            "failedReads": {"type": "integer", "description": "Reads of the document that failed in a row"}}},
          "HealthReason": {"type": "object", "required": ["severity", "message"], "properties": {
            "severity": {"type": "string", "enum": \#(healthStatuses)}, "component": {"type": "string"}, "daemon": {"type": "string"},
            "node": {"type": "string", "description": "master or worker<index>"}, "message": {"type": "string"}}},
          "NodeHealth": {"type": "object", "required": ["name", "role", "address", "status", "reachable", "daemons"], "properties": {
            "name": {"type": "string", "description": "master or worker<index>"}, "role": {"type": "string", "enum": ["master", "worker"]},
            "address": {"type": "string"}, "status": {"type": "string", "enum": \#(healthStatuses)},
            "reachable": {"type": "boolean", "description": "Whether the master could read the node's report"},
            "checkedAt": {"type": "string", "format": "date-time"},
            "daemons": {"type": "array", "items": {"$ref": "#/components/schemas/DaemonHealth"}},
            "diskFreePercent": {"type": "integer"}, "diskFreeBytes": {"type": "integer", "format": "int64"},
            "memoryAvailablePercent": {"type": "integer"}}},
          "DaemonHealth": {"type": "object", "required": ["component", "unit", "state"], "properties": {
            "component": {"type": "string"}, "unit": {"type": "string", "description": "The systemd unit, without .service"},
            "state": {"type": "string", "description": "active, activating, failed, inactive…, or missing when the node has no such unit"}}},
          "Totals": {"type": "object", "properties": {"instances": {"type": "integer"}, "vcpus": {"type": "integer"}, "ramMB": {"type": "integer"}, "diskGB": {"type": "integer"}, "floatingIPs": {"type": "integer"}, "networks": {"type": "integer"}, "routers": {"type": "integer"}, "securityGroups": {"type": "integer"}}},
          "Event": {"type": "object", "properties": {"time": {"type": "string", "format": "date-time"}, "state": {"type": "string"}, "message": {"type": "string"}}}
        },
        "responses": {
          "Error": {"description": "An error with its reason", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        }
      },
      "security": [{"keystone": []}],
      "paths": {
        "/tokens": {"post": {"summary": "Get a Keystone token with a user name and password", "security": [],
          "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["username", "password"], "properties": {"username": {"type": "string"}, "password": {"type": "string"}, "project": {"type": "string"}, "domain": {"type": "string"}}}}}},
          "responses": {"201": {"description": "A token", "content": {"application/json": {"schema": {"type": "object", "properties": {"token": {"type": "string"}, "expiresAt": {"type": "string"}, "project": {"type": "string"}, "projectID": {"type": "string"}, "user": {"type": "string"}}}}}}, "401": {"$ref": "#/components/responses/Error"}, "415": {"$ref": "#/components/responses/Error"}, "429": {"$ref": "#/components/responses/Error"}}}},
        "/components": {"get": {"summary": "The component catalog", "security": [],
          "responses": {"200": {"description": "Components", "content": {"application/json": {"schema": {"type": "object", "properties": {"components": {"type": "array", "items": {"type": "object"}}}}}}}}}},
        "/images": {"get": {"summary": "Images of the project", "responses": {"200": {"description": "Images"}, "401": {"$ref": "#/components/responses/Error"}}}},
        "/flavors": {"get": {"summary": "Flavors of the project", "responses": {"200": {"description": "Flavors"}, "401": {"$ref": "#/components/responses/Error"}}}},
        "/networks": {"get": {"summary": "Networks of the project", "responses": {"200": {"description": "Networks"}, "401": {"$ref": "#/components/responses/Error"}}}},
        "/plan": {"post": {"summary": "Plan a cluster without creating it: components and why, ports, resource totals, the Heat template",
          "parameters": [{"name": "format", "in": "query", "schema": {"type": "string", "enum": ["yaml", "json"]}}],
          "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ClusterSpec"}}}},
          "responses": {"200": {"description": "The plan", "content": {"application/json": {"schema": {"type": "object", "properties": {"plan": {"type": "object"}, "template": {"type": "string"}, "format": {"type": "string"}}}}}}, "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}}}},
        "/clusters": {
          "get": {"summary": "The project's clusters, oldest first, in pages", "parameters": [{"name": "limit", "in": "query", "description": "Clusters per page, 1…1000 (default 1000)", "schema": {"type": "integer", "minimum": 1, "maximum": 1000}}, {"name": "marker", "in": "query", "description": "The id of the last cluster of the previous page", "schema": {"type": "string"}}, {"name": "state", "in": "query", "description": "Only clusters in these states (comma-separated)", "schema": {"type": "string"}}], "responses": {"200": {"description": "Clusters; `next` is the next page's path when there are more", "content": {"application/json": {"schema": {"type": "object", "properties": {"clusters": {"type": "array", "items": {"$ref": "#/components/schemas/Cluster"}}, "next": {"type": "string"}}}}}}, "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}}},
          "post": {"summary": "Create a cluster", "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ClusterSpec"}}}},
            "responses": {"201": {"description": "Accepted and recorded; it is created in the background", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Cluster"}}}}, "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}, "503": {"$ref": "#/components/responses/Error"}}}},
        "/clusters/{id}": {
          "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
          "get": {"summary": "One cluster", "responses": {"200": {"description": "The cluster", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Cluster"}}}}, "404": {"$ref": "#/components/responses/Error"}}},
          "delete": {"summary": "Delete a cluster (in the background, retried until the stack is gone)", "responses": {"202": {"description": "Deleting", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Cluster"}}}}, "404": {"$ref": "#/components/responses/Error"}}}},
        "/clusters/{id}/actions": {
          "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
          "post": {"summary": "Suspend, resume, scale, or check health", "description": "check (a ready cluster) reads the cluster's health document at once: the answer carries the new health.", "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["action"], "properties": {"action": {"type": "string", "enum": ["suspend", "resume", "scale", "check"]}, "workers": {"type": "integer", "description": "The new number of workers, for scale"}}}}}},
            "responses": {"202": {"description": "Started (check: done)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Cluster"}}}}, "400": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}, "409": {"$ref": "#/components/responses/Error"}}}},
        "/clusters/{id}/events": {
          "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
          "get": {"summary": "What happened to the cluster, oldest first", "responses": {"200": {"description": "Events", "content": {"application/json": {"schema": {"type": "object", "properties": {"events": {"type": "array", "items": {"$ref": "#/components/schemas/Event"}}, "timeline": {"type": "array", "items": {"$ref": "#/components/schemas/Phase"}}}}}}}, "404": {"$ref": "#/components/responses/Error"}}}},
        "/clusters/{id}/ssh-key": {
          "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
          "get": {"summary": "The cluster's SSH private key", "responses": {"200": {"description": "OpenSSH private key", "content": {"text/plain": {"schema": {"type": "string"}}}}, "404": {"$ref": "#/components/responses/Error"}}}},
        "/clusters/{id}/passwords": {
          "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
          "get": {"summary": "Passwords DISCO generated for secret properties the create left out, by component.property", "responses": {"200": {"description": "Generated passwords", "content": {"application/json": {"schema": {"type": "object", "properties": {"passwords": {"type": "object", "additionalProperties": {"type": "string"}}}}}}}, "404": {"$ref": "#/components/responses/Error"}}}}
      }
    }
    """#

    /// The health statuses, as a JSON array.
    private static var healthStatuses: String {
        "[" + ClusterHealth.Status.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ") + "]"
    }
}
