extension NodeSpec {
    /// The user the image's cloud-init makes for SSH logins, told from the image's name (`ubuntu-22.04` → `ubuntu`);
    /// `nil` when the name does not tell.
    public var loginUser: String? {
        let name = image.lowercased()
        return ["ubuntu", "debian", "centos", "fedora", "rocky"].first { name.contains($0) }
    }
}
