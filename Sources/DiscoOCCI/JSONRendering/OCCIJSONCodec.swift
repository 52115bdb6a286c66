// application/occi+json in two shapes:
// - pyssf (occi-spec §3.10): category objects {term, scheme, title?, related?, location?, attributes?{name: required|immutable|muttable}, actions?},
//   entities {actions:[{kind, link}], attributes, kind:{…}, links:[…], mixins:[…]}, keys sorted, 2-space indent, bare arrays for collections.
// - GFD.225 (OCCI 1.2): type identifiers as strings, native attribute values, {"kinds":…,"mixins":…,"actions":…} for the query interface.

enum OCCIJSONCodec {
    // MARK: - pyssf rendering

    static func pyssfCategory(_ c: OCCICategory) -> JSONValue {
        var pairs: [(String, JSONValue)] = []
        if !c.actions.isEmpty { pairs.append(("actions", .array(c.actions.map { JSONValue.string($0) }))) }
        if !c.attributes.isEmpty {
            var defs: [String: OCCIAttributeDefinition] = [:]
            for d in c.attributes { defs[d.name] = d }
            pairs.append(("attributes", .object(defs.keys.sorted().map { name in
                let d = defs[name]!
                return (name, .string(d.isRequired ? "required" : d.isImmutable ? "immutable" : "muttable"))
            })))
        }
        if let location = c.location { pairs.append(("location", .string(location))) }
        if !c.rel.isEmpty { pairs.append(("related", .array(c.rel.map { JSONValue.string($0) }))) }
        pairs.append(("scheme", .string(c.scheme)))
        pairs.append(("term", .string(c.term)))
        if let title = c.title, !title.isEmpty { pairs.append(("title", .string(title))) }
        return .object(pairs)
    }

    static func pyssfEntity(_ e: OCCIEntity) -> JSONValue {
        let location = e.location ?? ""
        let actions: [JSONValue] = e.actions.map {
            .object([("kind", pyssfCategory($0)), ("link", .string(location + "?action=" + $0.term))])
        }
        let links: [JSONValue] = e.links.map { link in
            var pairs: [(String, JSONValue)] = [("actions", .array([])), ("attributes", attributesObject(link.attributes, sorted: true))]
            if let first = link.categories.first { pairs.append(("kind", typeObject(first))) }
            pairs.append(("mixins", .array(link.categories.dropFirst().map(typeObject))))
            pairs.append(("source", .string(location)))
            pairs.append(("target", .string(link.target)))
            return .object(pairs)
        }
        return .object([
            ("actions", .array(actions)),
            ("attributes", attributesObject(e.attributes, sorted: true)),
            ("kind", pyssfCategory(e.kind)),
            ("links", .array(links)),
            ("mixins", .array(e.mixins.map(pyssfCategory))),
        ])
    }

    private static func typeObject(_ typeIdentifier: String) -> JSONValue {
        let (scheme, term) = OCCICategory.split(typeIdentifier: typeIdentifier)
        return .object([("scheme", .string(scheme)), ("term", .string(term))])
    }

    static func attributesObject(_ a: OCCIAttributes, sorted: Bool) -> JSONValue {
        let pairs = sorted ? a.sortedByName : Array(a)
        return .object(pairs.map { ($0.name, jsonValue($0.value)) })
    }

    static func jsonValue(_ v: OCCIAttributeValue) -> JSONValue {
        switch v {
        case .string(let s): .string(s)
        case .number(let n): n.isFinite ? .number(n) : .string(OCCINumberFormat.format(n))
        case .bool(let b): .bool(b)
        }
    }

    // MARK: - GFD.225 rendering

    static func gfdCategory(_ c: OCCICategory, baseURL: String) -> JSONValue {
        var pairs: [(String, JSONValue)] = [("term", .string(c.term)), ("scheme", .string(c.scheme))]
        if let title = c.title { pairs.append(("title", .string(title))) }
        if !c.attributes.isEmpty {
            pairs.append(("attributes", .object(c.attributes.map { d in
                (d.name, .object([("mutable", .bool(!d.isImmutable)), ("required", .bool(d.isRequired)), ("type", .string("string"))]))
            })))
        }
        let cls = c.categoryClass ?? .kind
        if cls != .action, !c.actions.isEmpty { pairs.append(("actions", .array(c.actions.map { JSONValue.string($0) }))) }
        if cls == .kind, let parent = c.rel.first { pairs.append(("parent", .string(parent))) }
        if cls == .mixin, !c.rel.isEmpty { pairs.append(("depends", .array(c.rel.map { JSONValue.string($0) }))) }
        if cls != .action, let location = c.location { pairs.append(("location", .string(OCCIURL.absolute(location, baseURL: baseURL)))) }
        return .object(pairs)
    }

    static func gfdCategories(_ categories: [OCCICategory], baseURL: String) -> JSONValue {
        var kinds: [JSONValue] = [], mixins: [JSONValue] = [], actions: [JSONValue] = []
        for c in categories {
            switch c.categoryClass ?? .kind {
            case .mixin: mixins.append(gfdCategory(c, baseURL: baseURL))
            case .action: actions.append(gfdCategory(c, baseURL: baseURL))
            default: kinds.append(gfdCategory(c, baseURL: baseURL))
            }
        }
        var pairs: [(String, JSONValue)] = []
        if !kinds.isEmpty { pairs.append(("kinds", .array(kinds))) }
        if !mixins.isEmpty { pairs.append(("mixins", .array(mixins))) }
        if !actions.isEmpty { pairs.append(("actions", .array(actions))) }
        return .object(pairs)
    }

    static func gfdEntity(_ e: OCCIEntity, baseURL: String) -> JSONValue {
        var pairs: [(String, JSONValue)] = [("kind", .string(e.kind.typeIdentifier))]
        if !e.mixins.isEmpty { pairs.append(("mixins", .array(e.mixins.map { .string($0.typeIdentifier) }))) }
        if !e.attributes.isEmpty { pairs.append(("attributes", attributesObject(e.attributes, sorted: false))) }
        if !e.actions.isEmpty { pairs.append(("actions", .array(e.actions.map { .string($0.typeIdentifier) }))) }
        if case .string(let id)? = e.attributes["occi.core.id"] { pairs.append(("id", .string(id))) }
        if let location = e.location { pairs.append(("location", .string(OCCIURL.absolute(location, baseURL: baseURL)))) }
        if !e.links.isEmpty {
            pairs.append(("links", .array(e.links.map { link in
                var lp: [(String, JSONValue)] = []
                if let kind = link.categories.first { lp.append(("kind", .string(kind))) }
                if link.categories.count > 1 { lp.append(("mixins", .array(link.categories.dropFirst().map { JSONValue.string($0) }))) }
                if !link.attributes.isEmpty { lp.append(("attributes", attributesObject(link.attributes, sorted: false))) }
                if case .string(let id)? = link.attributes["occi.core.id"] { lp.append(("id", .string(id))) }
                if let s = link.selfLocation { lp.append(("location", .string(s))) }
                if let location = e.location { lp.append(("source", .object([("location", .string(location))]))) }
                var target: [(String, JSONValue)] = [("location", .string(link.target))]
                if let k = link.targetKinds.first { target.append(("kind", .string(k))) }
                lp.append(("target", .object(target)))
                return .object(lp)
            })))
        }
        return .object(pairs)
    }

    static func gfdAction(_ a: OCCIActionInvocation) -> JSONValue {
        var pairs: [(String, JSONValue)] = [("action", .string(a.action.typeIdentifier))]
        if !a.attributes.isEmpty { pairs.append(("attributes", attributesObject(a.attributes, sorted: false))) }
        return .object(pairs)
    }

    // MARK: - Parsing (both shapes)

    struct Reader {
        let limits: OCCIParser.Limits
        let baseURL: String?
        var attributeCount = 0

        func fail(_ message: String) -> OCCIParseError {
            OCCIParseError(.malformedJSON, message, field: "body")
        }

        func requireString(_ v: JSONValue?, _ what: String) throws(OCCIParseError) -> String {
            guard let s = v?.asString else { throw fail("\(what) must be a string") }
            return s
        }

        func stringArray(_ v: JSONValue?, _ what: String) throws(OCCIParseError) -> [String] {
            guard let v else { return [] }
            guard let items = v.asArray else { throw fail("\(what) must be an array of strings") }
            var out: [String] = []
            for item in items {
                guard let s = item.asString else { throw fail("\(what) must be an array of strings") }
                out.append(s)
            }
            return out
        }

        mutating func attributes(_ v: JSONValue?) throws(OCCIParseError) -> OCCIAttributes {
            guard let v else { return [:] }
            guard let pairs = v.objectPairs else { throw fail("\"attributes\" must be an object") }
            var out = OCCIAttributes()
            for (name, value) in pairs {
                guard OCCITextParser.isValidAttributeName(name.utf8) else {
                    throw fail("invalid attribute name '\(OCCIParseError.shorten(name))'")
                }
                attributeCount += 1
                guard attributeCount <= limits.maxAttributes else {
                    throw OCCIParseError(.tooManyItems, "more than \(limits.maxAttributes) attributes", field: "body")
                }
                switch value {
                case .string(let s): out[name] = .string(s)
                case .number(let n): out[name] = .number(n)
                case .bool(let b): out[name] = .bool(b)
                default: throw fail("attribute '\(OCCIParseError.shorten(name))' must be a string, number or bool, not \(value.typeName)")
                }
            }
            return out
        }

        /// A category object in either shape; `class` comes from the context.
        func category(_ v: JSONValue, class cls: OCCICategoryClass?, checked: Bool = true) throws(OCCIParseError) -> OCCICategory {
            guard v.objectPairs != nil else { throw fail("a category must be an object") }
            var c = OCCICategory(scheme: try requireString(v["scheme"], "\"scheme\""), term: try requireString(v["term"], "\"term\""), class: cls)
            if checked { try checkTerm(c) }
            if let title = v["title"] { c.title = try requireString(title, "\"title\"") }
            if let location = v["location"] { c.location = OCCIURL.relativize(try requireString(location, "\"location\""), baseURL: baseURL) }
            c.rel = try stringArray(v["related"], "\"related\"")
            if let parent = v["parent"] { c.rel = [try requireString(parent, "\"parent\"")] }
            if let depends = v["depends"] { c.rel = try stringArray(depends, "\"depends\"") }
            c.actions = try stringArray(v["actions"], "\"actions\"")
            if let attrs = v["attributes"] {
                guard let pairs = attrs.objectPairs else { throw fail("category \"attributes\" must be an object") }
                guard pairs.count <= limits.maxAttributes else {
                    throw OCCIParseError(.tooManyItems, "more than \(limits.maxAttributes) attribute definitions", field: "body")
                }
                for (name, def) in pairs {
                    guard OCCITextParser.isValidAttributeName(name.utf8) else {
                        throw fail("invalid attribute definition name '\(OCCIParseError.shorten(name))'")
                    }
                    var d = OCCIAttributeDefinition(name)
                    switch def {
                    case .string(let s):
                        d.isRequired = s == "required"
                        d.isImmutable = s == "immutable"
                    case .object:
                        if case .bool(let m)? = def["mutable"] { d.isImmutable = !m }
                        if case .bool(let r)? = def["required"] { d.isRequired = r }
                    default:
                        throw fail("attribute definition '\(OCCIParseError.shorten(name))' must be a string or an object")
                    }
                    c.attributes.append(d)
                }
            }
            return c
        }

        func typeIdentifierCategory(_ v: JSONValue, class cls: OCCICategoryClass) throws(OCCIParseError) -> OCCICategory {
            if let s = v.asString {
                let c = OCCICategory(typeIdentifier: s, class: cls)
                try checkTerm(c)
                return c
            }
            return try category(v, class: cls)
        }

        /// Categories are rendered as `Category` values, so their terms must be valid and their
        /// schemes end in `#`. (An entity's actions are rendered only as type identifiers and are not checked.)
        func checkTerm(_ c: OCCICategory) throws(OCCIParseError) {
            guard OCCITextParser.isValidTerm(c.term.utf8) else {
                throw fail("invalid category term '\(OCCIParseError.shorten(c.term))'")
            }
            guard c.scheme.hasSuffix("#") else {
                throw fail("the scheme of category '\(OCCIParseError.shorten(c.term))' must end with '#'")
            }
        }

        /// An entity object in either shape, into the request structures.
        mutating func entity(_ v: JSONValue, into body: inout OCCIRequestBody) throws(OCCIParseError) -> String? {
            guard let kind = v["kind"] else { throw fail("an entity needs \"kind\"") }
            body.categories.append(try typeIdentifierCategory(kind, class: .kind))
            for m in v["mixins"]?.asArray ?? [] { body.categories.append(try typeIdentifierCategory(m, class: .mixin)) }
            if let m = v["mixins"], m.asArray == nil { throw fail("\"mixins\" must be an array") }
            guard body.categories.count <= limits.maxCategories else {
                throw OCCIParseError(.tooManyItems, "more than \(limits.maxCategories) categories", field: "body")
            }
            var location: String?
            if let loc = v["location"] { location = OCCIURL.relativize(try requireString(loc, "\"location\""), baseURL: baseURL) }
            if let actions = v["actions"] {
                guard let items = actions.asArray else { throw fail("\"actions\" must be an array") }
                for a in items {
                    if let s = a.asString {
                        body.actions.append(OCCICategory(typeIdentifier: s, class: .action))
                    } else {
                        guard let k = a["kind"] else { throw fail("an action needs \"kind\"") }
                        body.actions.append(try category(k, class: .action, checked: false))
                        if location == nil, let link = a["link"]?.asString, let r = link.firstRange(of: "?action=") {
                            location = OCCIURL.relativize(String(link[..<r.lowerBound]), baseURL: baseURL)
                        }
                    }
                }
            }
            body.attributes = try attributes(v["attributes"])
            if let links = v["links"] {
                guard let items = links.asArray else { throw fail("\"links\" must be an array") }
                for l in items {
                    body.links.append(try link(l))
                    guard body.links.count + body.actions.count <= limits.maxLinks else {
                        throw OCCIParseError(.tooManyItems, "more than \(limits.maxLinks) links", field: "body")
                    }
                }
            }
            return location
        }

        mutating func link(_ v: JSONValue) throws(OCCIParseError) -> OCCILink {
            guard v.objectPairs != nil else { throw fail("a link must be an object") }
            var link = OCCILink(target: "")
            switch v["target"] {
            case .string(let s)?: link.target = OCCIURL.relativize(s, baseURL: baseURL)
            case let t? where t.objectPairs != nil:
                link.target = OCCIURL.relativize(try requireString(t["location"], "link target \"location\""), baseURL: baseURL)
                if let k = t["kind"] { link.targetKinds = [try requireString(k, "link target \"kind\"")] }
            default: throw fail("a link needs a \"target\"")
            }
            if let kind = v["kind"] { link.categories.append(try typeIdentifierCategory(kind, class: .kind).typeIdentifier) }
            for m in v["mixins"]?.asArray ?? [] { link.categories.append(try typeIdentifierCategory(m, class: .mixin).typeIdentifier) }
            if let s = v["location"] { link.selfLocation = OCCIURL.relativize(try requireString(s, "link \"location\""), baseURL: baseURL) }
            link.attributes = try attributes(v["attributes"])
            return link
        }

        /// Any supported JSON request or response body.
        mutating func requestBody(_ v: JSONValue) throws(OCCIParseError) -> (OCCIRequestBody, String?) {
            var body = OCCIRequestBody()
            switch v {
            case .object:
                if v["kind"] != nil {
                    let location = try entity(v, into: &body)
                    return (body, location)
                }
                if let action = v["action"] {
                    let category = OCCICategory(typeIdentifier: try requireString(action, "\"action\""), class: .action)
                    try checkTerm(category)
                    body.categories = [category]
                    body.attributes = try attributes(v["attributes"])
                    return (body, nil)
                }
                if v["resources"] != nil || v["links"] != nil {
                    for key in ["resources", "links"] {
                        guard let items = v[key] else { continue }
                        guard let list = items.asArray else { throw fail("\"\(key)\" must be an array") }
                        for item in list {
                            guard let loc = item["location"]?.asString ?? item["id"]?.asString else {
                                throw fail("collection members need \"location\"")
                            }
                            try addLocation(loc, to: &body)
                        }
                    }
                    return (body, nil)
                }
                for (key, cls) in [("kinds", OCCICategoryClass.kind), ("mixins", .mixin), ("actions", .action)] {
                    guard let items = v[key] else { continue }
                    guard let list = items.asArray else { throw fail("\"\(key)\" must be an array") }
                    for item in list { try addCategory(try category(item, class: cls), to: &body) }
                }
                return (body, nil)
            case .array(let items):
                for item in items {
                    if let s = item.asString {
                        try addLocation(s, to: &body)
                    } else if item["term"] != nil {
                        try addCategory(try category(item, class: nil), to: &body)
                    } else if item["kind"] != nil {
                        var scratch = OCCIRequestBody()
                        let loc = try entity(item, into: &scratch) ?? scratch.attributes["occi.core.id"]?.stringValue
                        guard let loc else { throw fail("collection members need a location (action link or occi.core.id)") }
                        try addLocation(loc, to: &body)
                    } else {
                        throw fail("array members must be locations, categories or entities")
                    }
                }
                return (body, nil)
            default:
                throw fail("expected a JSON object or array, not \(v.typeName)")
            }
        }

        func addLocation(_ s: String, to body: inout OCCIRequestBody) throws(OCCIParseError) {
            guard body.locations.count < limits.maxLocations else {
                throw OCCIParseError(.tooManyItems, "more than \(limits.maxLocations) locations", field: "body")
            }
            body.locations.append(OCCIURL.relativize(s, baseURL: baseURL))
        }

        func addCategory(_ c: OCCICategory, to body: inout OCCIRequestBody) throws(OCCIParseError) {
            guard body.categories.count < limits.maxCategories else {
                throw OCCIParseError(.tooManyItems, "more than \(limits.maxCategories) categories", field: "body")
            }
            body.categories.append(c)
        }
    }
}
