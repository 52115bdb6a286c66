public import Foundation

/// Durable storage of cluster records and their secrets.
///
/// `put` and `remove` return only once the change is on disk: a crash at any moment loses no change that
/// was acknowledged.
public protocol ClusterStore: Sendable {
    /// Every stored record.
    func loadAll() throws -> [ClusterRecord]
    func put(_ record: ClusterRecord) throws
    /// Removes the record and its secrets.
    func remove(id: String) throws
    /// Stores a secret file of the cluster (mode 0600).
    func putSecret(_ data: Data, named name: SecretName, for id: String) throws
    /// A secret file, or `nil` when absent.
    func secret(named name: SecretName, for id: String) throws -> Data?
    /// Deletes one secret file; deleting an absent one succeeds.
    func removeSecret(named name: SecretName, for id: String) throws
}
