import Foundation

/// A loaded component: its manifest and the contents of its script fragments.
public struct Component: Sendable, Hashable {
    public var manifest: ComponentManifest
    /// Fragment script text by node role.
    public var fragments: [NodeRole: String]

    public init(manifest: ComponentManifest, fragments: [NodeRole: String]) {
        self.manifest = manifest
        self.fragments = fragments
    }

    public var name: String { manifest.name }
}
