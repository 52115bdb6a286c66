import Foundation

/// The user data a node boots with: its install script as it is when that fits Nova's limit (``UserDataLimit``),
/// else the script packed (gzip, base64) inside a short bash program that unpacks it to
/// `/var/lib/disco-install/<role>.sh` and runs it from there. The script holds the cluster's secrets (its internal SSH
/// key, the signal credential): the directory is root's alone (0700), apart from `/var/lib/disco`, which the base
/// component opens to every local user for the status page.
///
/// Heat and the resource group fill their words (``ScriptComposer``'s tokens, `%index%`) into the user data's text, which
/// they cannot do inside packed bytes: the packed form carries each word once in plain text, and the unpacker puts the
/// filled-in values where the script has the words, so the node runs exactly the script Heat would have filled in.
/// Unpacking needs Python 3, which every image that runs cloud-init has.
enum NodeUserData {
    /// The words Heat or the resource group replaces in a script.
    static let filledWords = [ScriptComposer.masterIPToken, ScriptComposer.signalToken, ScriptComposer.indexToken]

    static func make(script: String, role: NodeRole, form: UserDataForm = .auto) -> String {
        form == .auto && script.utf8.count <= UserDataLimit.maxScriptBytes ? script : packed(script, role: role)
    }

    static func packed(_ script: String, role: NodeRole) -> String {
        let name = role == .master ? "master" : "worker"
        let target = "/var/lib/disco-install/\(name).sh"
        let blob = Data(Gzip.compress(Array(script.utf8))).base64EncodedString()
        var lines: [Substring] = []
        var rest = blob[...]
        while !rest.isEmpty {
            lines.append(rest.prefix(76))
            rest = rest.dropFirst(76)
        }
        // Each word split in two in the program's own text, so that Heat fills in only the value beside it.
        let values = filledWords.map { word in
            let half = word.index(word.startIndex, offsetBy: word.count / 2)
            return "    (b\"\(word[..<half])\" b\"\(word[half...])\", r\"\"\"\(word)\"\"\"),"
        }
        return """
            #!/bin/bash
            # DISCO install script (\(name)), packed to fit Nova's user-data limit: unpacked to \(target) and run.
            set -eu
            install -d -m 0700 /var/lib/disco-install
            python3 - \(target) <<'DISCO_PACKED_END'
            import base64, gzip, os, sys
            script = gzip.decompress(base64.b64decode(\"\"\"
            \(lines.joined(separator: "\n"))
            \"\"\"))
            for word, value in (
            \(values.joined(separator: "\n"))
            ):
                script = script.replace(word, value.encode())
            fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o700)
            with os.fdopen(fd, "wb") as out:
                out.write(script)
            DISCO_PACKED_END
            exec /bin/bash \(target)

            """
    }
}
