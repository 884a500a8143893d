import AlphaDomain
import Foundation

/// The columns every post read selects, in this order: the post (`p`), its like and comment counts, the
/// viewer's like, and the reposted original (`o`); and their decoding into a ``PostRecord``.
enum PostRow {
    /// One row's values; the post's columns are optional for reads that may return a row without a post.
    typealias Values = (
        UUID?, String?, String?, Date?, Float?, Float?, Int32?, String?, Int32?, Int32?, Int, Int, Bool,
        String?, String?, Date?, Float?, Float?, Int32?, String?, Int32?, Int32?
    )

    /// The post of `row`, `nil` when the row holds none.
    static func record(_ row: Values) -> PostRecord? {
        guard let id = row.0, let author = row.1, let content = row.2, let createdAt = row.3 else { return nil }
        var original: OriginalPost?
        if let author = row.13, let content = row.14, let createdAt = row.15 {
            original = OriginalPost(
                author: author, content: content, createdAt: createdAt,
                location: location(row.16, row.17, row.18),
                picture: picture(row.19, row.20, row.21)
            )
        }
        return PostRecord(
            id: id, author: author, content: content, createdAt: createdAt,
            location: location(row.4, row.5, row.6),
            picture: picture(row.7, row.8, row.9),
            likes: row.10, comments: row.11, liked: row.12, original: original
        )
    }

    private static func location(_ latitude: Float?, _ longitude: Float?, _ accuracy: Int32?) -> GeoLocation? {
        guard let latitude, let longitude, let accuracy else { return nil }
        return GeoLocation(stored: latitude, longitude, accuracy)
    }

    private static func picture(_ url: String?, _ width: Int32?, _ height: Int32?) -> PostPicture? {
        guard let url, let width, let height else { return nil }
        return PostPicture(url: url, width: width, height: height)
    }
}
