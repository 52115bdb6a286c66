/// What a cluster gets for what its request leaves out, unless an operator setting says otherwise: the CLI's
/// defaults, the OCCI mapping's on the simulated cloud. The simulated cloud offers each of them.
public enum SpecDefaults {
    /// The image of master and workers.
    public static let image = "ubuntu-22.04"
    /// The flavor of master and workers.
    public static let flavor = "m1.medium"
    /// Worker nodes besides the master.
    public static let workers = 2
    /// The floating IP pool and router gateway.
    public static let externalNetwork = "public"
}
