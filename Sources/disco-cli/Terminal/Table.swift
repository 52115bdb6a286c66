/// A plain-text table sized to the terminal: columns as wide as their content, the flexible ones shrunk
/// (with "…") when the whole does not fit.
struct Table {
    struct Column {
        var title: String
        /// Whether this column gives up width first when the table is too wide.
        var isFlexible: Bool = false
        var alignRight: Bool = false
        /// The colour of a cell, from its text.
        var style: ((String) -> Style?)? = nil
    }

    var columns: [Column]
    var rows: [[String]]

    init(_ columns: [Column], rows: [[String]]) {
        self.columns = columns
        self.rows = rows
    }

    /// The rendered lines, each at most `width` columns (unless even the fixed columns do not fit).
    func render(width: Int, console: Console? = nil) -> [String] {
        let gap = 2
        var widths = columns.indices.map { index in
            max(columns[index].title.count, rows.map { index < $0.count ? $0[index].count : 0 }.max() ?? 0)
        }
        var excess = widths.reduce(0, +) + gap * max(0, columns.count - 1) - width
        // Shrink the widest flexible column first, down to 8 columns (or its title).
        while excess > 0 {
            let flexible = columns.indices.filter { columns[$0].isFlexible && widths[$0] > max(8, columns[$0].title.count) }
            guard let widest = flexible.max(by: { widths[$0] < widths[$1] }) else { break }
            widths[widest] -= 1
            excess -= 1
        }
        func line(_ cells: [String], header: Bool) -> String {
            var parts: [String] = []
            for (index, column) in columns.enumerated() {
                let text = Self.fit(index < cells.count ? cells[index] : "", widths[index])
                let padding = String(repeating: " ", count: widths[index] - text.count)
                var cell = column.alignRight ? padding + text : text + padding
                if let console {
                    let style: Style? = header ? .bold : column.style?(text)
                    let painted = console.paint(text, style)
                    cell = column.alignRight ? padding + painted : painted + padding
                }
                parts.append(cell)
            }
            var joined = parts.joined(separator: String(repeating: " ", count: gap))
            while joined.hasSuffix(" ") { joined.removeLast() }
            return joined
        }
        return [line(columns.map(\.title), header: true)] + rows.map { line($0, header: false) }
    }

    /// `text` cut to `width` characters, ending in "…" when cut.
    static func fit(_ text: String, _ width: Int) -> String {
        guard text.count > width else { return text }
        guard width > 1 else { return String(text.prefix(width)) }
        return String(text.prefix(width - 1)) + "…"
    }
}
