/// A value read by ``YAMLReader``, with where it starts in its file.
package struct YAMLNode: Sendable, Hashable {
    package enum Value: Sendable, Hashable {
        /// An empty value, `~` or `null` (plain, not quoted).
        case null
        /// A scalar as text: numbers and booleans too (`3`, `true`); the reader does not type them.
        case scalar(String)
        case sequence([YAMLNode])
        /// Entries in the file's order; keys are unique.
        case mapping([YAMLEntry])
    }

    package var value: Value
    /// The file's name as given to the reader (errors name it).
    package var file: String
    /// 1-based; 0 for a value that did not come from YAML text (e.g. a JSON file).
    package var line: Int
    /// 1-based, in Unicode scalars.
    package var column: Int

    package init(_ value: Value, file: String, line: Int, column: Int) {
        self.value = value
        self.file = file
        self.line = line
        self.column = column
    }

    /// The value of `key` in a mapping (nil for other values or a missing key).
    package subscript(key: String) -> YAMLNode? {
        guard case let .mapping(entries) = value else { return nil }
        return entries.first { $0.key == key }?.value
    }

    /// The entries of a mapping, nil for other values.
    package var entries: [YAMLEntry]? {
        if case let .mapping(entries) = value { return entries }
        return nil
    }

    /// The text of a scalar, nil for other values.
    package var text: String? {
        if case let .scalar(text) = value { return text }
        return nil
    }

    /// `a scalar`, `a list`, `a mapping`, `empty`: for messages that must not show the value itself.
    package var kindDescription: String {
        switch value {
        case .null: "empty"
        case .scalar: "a text value"
        case .sequence: "a list"
        case .mapping: "a mapping"
        }
    }

    /// `overlay` laid over this node, as openstacksdk merges `secure.yaml` into `clouds.yaml`: mappings merge key by key,
    /// recursively; any other value of the overlay replaces the one here.
    package func merging(_ overlay: YAMLNode) -> YAMLNode {
        guard case var .mapping(entries) = value, case let .mapping(overlayEntries) = overlay.value else { return overlay }
        for entry in overlayEntries {
            if let index = entries.firstIndex(where: { $0.key == entry.key }) {
                entries[index].value = entries[index].value.merging(entry.value)
            } else {
                entries.append(entry)
            }
        }
        var merged = self
        merged.value = .mapping(entries)
        return merged
    }
}

/// One `key: value` of a mapping.
package struct YAMLEntry: Sendable, Hashable {
    package var key: String
    package var value: YAMLNode

    package init(key: String, value: YAMLNode) {
        self.key = key
        self.value = value
    }
}
