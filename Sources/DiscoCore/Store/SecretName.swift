import Foundation

/// The secret files a cluster has.
public enum SecretName: String, Sendable, CaseIterable {
    /// The user's SSH private key.
    case sshPrivateKey = "ssh_private_key"
    /// The delegated cloud credential (JSON).
    case credential = "credential.json"
    /// The Heat template and parameters, kept until the stack exists (JSON).
    case stackRequest = "stack_request.json"
    /// Passwords DISCO generated for secret properties the request left out, by `component.property` (JSON).
    case generatedPasswords = "generated_passwords.json"
}
