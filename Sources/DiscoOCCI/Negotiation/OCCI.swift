/// Protocol-level constants.
public enum OCCI {
    /// The DISCO product version used in the `Server` header.
    public static let discoVersion = "2.0"
    /// The OCCI version spoken.
    public static let version = OCCIVersion.v1_1
    /// The value of the `Server` header on every response: `DISCO/2.0 OCCI/1.1`.
    public static let serverHeader = serverHeader(product: "DISCO", version: discoVersion)
    /// `<product>/<version> OCCI/1.1`.
    public static func serverHeader(product: String, version: String) -> String {
        "\(product)/\(version) OCCI/\(OCCI.version)"
    }
}
