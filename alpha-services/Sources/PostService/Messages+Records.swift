import AlphaContracts
import AlphaDomain

extension Alpha_Post_V1_Post {
    /// `record` as the wire message; authors (and originals' authors) from `authors`, left unset when the
    /// user service did not know them.
    init(_ record: PostRecord, authors: [String: Alpha_User_V1_UserSummary]) {
        self = .with {
            $0.postID = record.id.uuidString.lowercased()
            if let author = authors[record.author] { $0.author = author }
            $0.createdAt = Timestamp.string(from: record.createdAt)
            $0.content = record.content
            if let picture = record.picture { $0.picture = Alpha_User_V1_Picture(picture) }
            if let location = record.location { $0.location = Alpha_Post_V1_Location(location) }
            $0.likes = Int64(record.likes)
            $0.liked = record.liked
            $0.comments = Int64(record.comments)
            if let original = record.original {
                $0.repost = .with {
                    if let author = authors[original.author] { $0.author = author }
                    $0.createdAt = Timestamp.string(from: original.createdAt)
                    $0.content = original.content
                    if let picture = original.picture { $0.picture = Alpha_User_V1_Picture(picture) }
                    if let location = original.location { $0.location = Alpha_Post_V1_Location(location) }
                }
            }
        }
    }
}

extension PostRecord {
    /// Whose user data the post's message needs: its author and its original's.
    var usernames: [String] { [author] + (original.map { [$0.author] } ?? []) }
}

extension Alpha_User_V1_Picture {
    init(_ picture: PostPicture) {
        self = .with {
            $0.url = picture.url
            $0.width = picture.width
            $0.height = picture.height
        }
    }
}

extension Alpha_Post_V1_Location {
    init(_ location: GeoLocation) {
        self = .with {
            $0.latitude = location.latitude
            $0.longitude = location.longitude
            $0.accuracy = location.accuracy
        }
    }
}

extension Alpha_Post_V1_Comment {
    init(_ record: CommentRecord, author: Alpha_User_V1_UserSummary?) {
        self = .with {
            $0.commentID = record.id.uuidString.lowercased()
            $0.content = record.content
            if let author { $0.author = author }
            $0.createdAt = Timestamp.string(from: record.createdAt)
        }
    }
}

/// Distinct names in order of first appearance (one batched lookup per page).
func distinct(_ names: [String]) -> [String] {
    var seen = Set<String>()
    return names.filter { seen.insert($0).inserted }
}
