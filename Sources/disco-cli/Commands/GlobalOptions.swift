import DiscoCore
import Foundation

/// Options every command accepts, before or after the command name.
struct GlobalOptions: Sendable, Equatable {
    /// `--url`; else `DISCO_URL`; else `http://127.0.0.1:8888`.
    var url: String?
    /// `--token`; else `DISCO_TOKEN`, `OS_TOKEN`; else one is obtained from `OS_*` credentials.
    var token: String?
    /// `--os-cloud`; else `OS_CLOUD`: the cloud of `clouds.yaml` whose credentials sign in.
    var osCloud: String?
    /// `--json`: print the server's JSON objects instead of tables.
    var json = false
    /// `--no-color`.
    var noColor = false
}
