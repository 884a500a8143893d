import Foundation

/// Whose picture an image is: a user's profile or a post. The stored name is `<id>.<ext>`.
public struct ImageOwner: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case profile
        case post
    }

    public var kind: Kind
    /// The username (profile) or the lowercase post id (post).
    public var id: String

    public init(kind: Kind, id: String) {
        self.kind = kind
        self.id = id
    }

    /// `<id>.<ext>`.
    public func name(for format: ImageFormat) -> String { "\(id).\(format.fileExtension)" }
}

/// A validated image about to be stored.
public struct NewImage: Sendable {
    public var owner: ImageOwner
    /// The user who uploaded it; `nil` when a service uploaded it on its own behalf (registration).
    public var uploadedBy: String?
    public var format: ImageFormat
    public var width: Int
    public var height: Int
    public var bytes: [UInt8]

    public init(owner: ImageOwner, uploadedBy: String?, format: ImageFormat, width: Int, height: Int, bytes: [UInt8]) {
        self.owner = owner
        self.uploadedBy = uploadedBy
        self.format = format
        self.width = width
        self.height = height
        self.bytes = bytes
    }
}

/// A committed image as served.
public struct StoredImage: Sendable, Hashable {
    public var name: String
    public var contentType: String
    /// Hex SHA-256 of `bytes`.
    public var etag: String
    /// Empty when the caller's ETag was current (see ``ImageStore/image(named:unlessETag:)``).
    public var bytes: Data
}

/// What a commit did: the upload's name, and whether it was stale (discarded, nothing changed).
public struct ImageCommit: Sendable, Hashable {
    public var name: String
    public var stale: Bool

    public init(name: String, stale: Bool) {
        self.name = name
        self.stale = stale
    }
}

/// What a commit, discard or delete found when acting for a user.
public enum ImageStoreOutcome<Value: Sendable>: Sendable {
    case done(Value)
    /// No such upload (never existed, discarded, or swept).
    case notFound
    /// It belongs to another user.
    case forbidden
}
