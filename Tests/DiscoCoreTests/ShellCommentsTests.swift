@testable import DiscoCore
import Testing

@Suite struct ShellCommentsTests {
    @Test func wholeLineCommentsGoAndEverythingElseStays() {
        let script = """
            #!/bin/bash
            # a comment
              # an indented one
            # shellcheck disable=SC2034
            x=1 # after code: kept
            cat >/etc/a.conf <<'CFG'
            # a comment of the configuration file
            key=value
            CFG
            # gone again
            cat >/etc/b <<-EOF
            \t# kept: the body of <<-
            \tEOF
            read -r y <<<"# not a here-document"
            # gone
            python3 - <<PY
            # a Python comment the program keeps
            PY
            done
            """
        #expect(ShellComments.stripped(script) == """
            #!/bin/bash
            # shellcheck disable=SC2034
            x=1 # after code: kept
            cat >/etc/a.conf <<'CFG'
            # a comment of the configuration file
            key=value
            CFG
            cat >/etc/b <<-EOF
            \t# kept: the body of <<-
            \tEOF
            read -r y <<<"# not a here-document"
            python3 - <<PY
            # a Python comment the program keeps
            PY
            done
            """)
    }

    /// Every here-document of the catalog is closed where the stripper thinks it is: a comment after the text is
    /// removed (an unclosed one would keep everything after it as a body).
    @Test func theCatalogsHereDocumentsAreAllClosed() throws {
        let catalog = try ComponentCatalog.builtIn()
        var texts = [("prelude", catalog.prelude)]
        for name in catalog.names {
            for (role, text) in catalog[name]!.fragments { texts.append(("\(name) \(role.rawValue)", text)) }
        }
        for (name, text) in texts {
            let stripped = ShellComments.stripped(text + "\n# sentinel\n")
            #expect(!stripped.contains("# sentinel"), "\(name): a here-document is still open at its end")
        }
    }
}
