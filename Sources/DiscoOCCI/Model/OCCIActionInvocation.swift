/// An action invocation: `POST <location>?action=<term>` with the action's Category and
/// optional attributes as parameters (GFD.185 §3.4.4, GFD.223 §10.3.2).
public struct OCCIActionInvocation: Hashable, Sendable {
    /// The action Category (usually only scheme and term are known).
    public var action: OCCICategory
    /// Action parameters.
    public var attributes: OCCIAttributes

    public init(action: OCCICategory, attributes: OCCIAttributes = [:]) {
        self.action = action
        self.attributes = attributes
    }
}
