import Foundation

/// Leaves out of a node's script the prelude code that only the other role runs: every byte of user data counts
/// against Nova's limit (see ``UserDataLimit``).
///
/// Lines from `# disco:master` to `# disco:end` reach the master's script only, lines from `# disco:workers` to
/// `# disco:end` the workers' only; the marker lines themselves are left out. Sections do not nest.
enum RoleSections {
    static func kept(for role: NodeRole, in text: String) -> String {
        var out: [Substring] = []
        var section: NodeRole?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            switch line.trimmingCharacters(in: .whitespaces) {
            case "# disco:master": section = .master
            case "# disco:workers": section = .workers
            case "# disco:end": section = nil
            default:
                if section == nil || section == role || role == .all { out.append(line) }
            }
        }
        return out.joined(separator: "\n")
    }
}
