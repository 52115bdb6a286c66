/// An attribute definition of a Category, as listed in its `attributes="…"` parameter.
///
/// `name{required}` means the client must supply the attribute on create; `name{immutable}`
/// means the client may not modify it. A bare name is optional and mutable.
public struct OCCIAttributeDefinition: Hashable, Sendable, CustomStringConvertible {
    /// The attribute name, for example `occi.core.title`.
    public var name: String
    /// `{required}`: the client must supply the attribute.
    public var isRequired: Bool
    /// `{immutable}`: the client may not modify the attribute.
    public var isImmutable: Bool

    public init(_ name: String, required: Bool = false, immutable: Bool = false) {
        self.name = name
        self.isRequired = required
        self.isImmutable = immutable
    }

    /// The GFD.185 rendering: `name`, `name{required}`, `name{immutable}` or `name{immutable required}`.
    public var description: String {
        switch (isImmutable, isRequired) {
        case (false, false): name
        case (false, true): name + "{required}"
        case (true, false): name + "{immutable}"
        case (true, true): name + "{immutable required}"
        }
    }
}
