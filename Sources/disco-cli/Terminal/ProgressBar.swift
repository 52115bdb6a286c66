/// A horizontal progress bar.
enum ProgressBar {
    /// e.g. `[██████░░░░░░]` on a terminal, `[######......]` elsewhere.
    static func render(percent: Int, width: Int, unicode: Bool) -> String {
        let inner = max(4, width - 2)
        let clamped = min(100, max(0, percent))
        let filled = inner * clamped / 100
        let (full, empty) = unicode ? ("█", "░") : ("#", ".")
        return "[" + String(repeating: full, count: filled) + String(repeating: empty, count: inner - filled) + "]"
    }
}
