/// The version of DISCO that `disco-sm --version`, `disco-cli --version` and the `Server` header report.
package enum DiscoVersion {
    package static let current = "2.0.0"
}
