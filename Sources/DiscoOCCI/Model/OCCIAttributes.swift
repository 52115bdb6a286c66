/// An ordered set of named attribute values.
///
/// Keeps insertion order for rendering; setting an existing name replaces its value in place.
/// Equality ignores order (two sets are equal when they map the same names to the same values),
/// because some renderings (pyssf JSON) sort attribute names.
public struct OCCIAttributes: Hashable, Sendable, Sequence, ExpressibleByDictionaryLiteral,
    CustomStringConvertible
{
    public typealias Element = (name: String, value: OCCIAttributeValue)
    private var names: [String] = []
    private var values: [String: OCCIAttributeValue] = [:]

    public init() {}
    /// Creates attributes from ordered pairs; a repeated name keeps its first position and last value.
    public init(_ pairs: [(String, OCCIAttributeValue)]) {
        for (name, value) in pairs { self[name] = value }
    }
    public init(dictionaryLiteral elements: (String, OCCIAttributeValue)...) { self.init(elements) }

    /// The value called `name`; setting `nil` removes it.
    public subscript(name: String) -> OCCIAttributeValue? {
        get { values[name] }
        set {
            if let newValue {
                if values.updateValue(newValue, forKey: name) == nil { names.append(name) }
            } else if values.removeValue(forKey: name) != nil {
                names.removeAll { $0 == name }
            }
        }
    }

    /// The attribute names in order.
    public var orderedNames: [String] { names }
    /// The number of attributes.
    public var count: Int { names.count }
    public var isEmpty: Bool { names.isEmpty }

    public func makeIterator() -> some IteratorProtocol<Element> {
        var index = 0
        let names = self.names, values = self.values
        return AnyIterator<Element> {
            guard index < names.count else { return nil }
            defer { index += 1 }
            return (names[index], values[names[index]]!)
        }
    }

    /// The attributes sorted by name.
    public var sortedByName: [Element] { names.sorted().map { ($0, values[$0]!) } }

    public static func == (a: OCCIAttributes, b: OCCIAttributes) -> Bool { a.values == b.values }
    public func hash(into hasher: inout Hasher) { hasher.combine(values) }

    /// `name=value, name=value` as in a text/occi header.
    public var description: String {
        map { "\($0.name)=\($0.value)" }.joined(separator: ", ")
    }
}
