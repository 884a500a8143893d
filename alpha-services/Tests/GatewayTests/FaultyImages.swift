import AlphaContracts
import AlphaCore
import AlphaOutbox
import AlphaTesting
import GRPCCore
import ImageService
import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// Switches for the image service: `down` fails every call as if it were unreachable; `failCommits`
/// fails that many CommitImage calls.
final class Faults: Sendable {
    let down = Mutex(false)
    let failCommits = Mutex(0)

    func check() throws {
        if down.withLock({ $0 }) { throw RPCError(code: .unavailable, message: "image service down (test)") }
    }

    func checkCommit() throws {
        try check()
        let fail = failCommits.withLock { remaining in
            defer { remaining = max(0, remaining - 1) }
            return remaining > 0
        }
        if fail { throw RPCError(code: .unavailable, message: "commit fault (test)") }
    }
}

/// The real image handler behind ``Faults``.
struct FaultyImages: Alpha_Image_V1_Images.SimpleServiceProtocol {
    let real: ImagesHandler
    let faults: Faults

    func getStats(request: Alpha_Image_V1_GetStatsRequest, context: ServerContext) async throws
        -> Alpha_Image_V1_GetStatsResponse
    { try await real.getStats(request: request, context: context) }
    func uploadImage(request: Alpha_Image_V1_UploadImageRequest, context: ServerContext) async throws
        -> Alpha_Image_V1_UploadImageResponse
    {
        try faults.check()
        return try await real.uploadImage(request: request, context: context)
    }
    func commitImage(request: Alpha_Image_V1_CommitImageRequest, context: ServerContext) async throws
        -> Alpha_Image_V1_CommitImageResponse
    {
        try faults.checkCommit()
        return try await real.commitImage(request: request, context: context)
    }
    func discardImage(request: Alpha_Image_V1_DiscardImageRequest, context: ServerContext) async throws
        -> Alpha_Image_V1_DiscardImageResponse
    {
        try faults.check()
        return try await real.discardImage(request: request, context: context)
    }
    func deleteImages(request: Alpha_Image_V1_DeleteImagesRequest, context: ServerContext) async throws
        -> Alpha_Image_V1_DeleteImagesResponse
    {
        try faults.check()
        return try await real.deleteImages(request: request, context: context)
    }
    func getImage(request: Alpha_Image_V1_GetImageRequest, context: ServerContext) async throws
        -> Alpha_Image_V1_GetImageResponse
    { try await real.getImage(request: request, context: context) }
}

/// Picture changes (`image.*` topics) waiting in the outbox of `database`'s schema.
func pictureChangesWaiting(in database: PostgresClient, logger: Logger) async throws -> Int {
    let rows = try await database.query(
        "SELECT count(*)::int8 FROM outbox_messages WHERE topic LIKE 'image.%'", logger: logger)
    for try await count in rows.decode(Int.self) { return count }
    return 0
}

/// Runs an outbox relay of `topics` on `database` (quick polls, short backoff) until no picture change
/// waits in its outbox (the service's other topics, such as mails, are not relayed here).
func relayPictureChanges(database: PostgresClient, topics: [OutboxTopic], logger: Logger) async throws {
    let relay = OutboxRelay(
        client: database,
        topics: topics,
        configuration: OutboxRelayConfiguration(
            pollInterval: .milliseconds(50),
            backoff: RetryBackoff(base: .milliseconds(20), maximum: .milliseconds(100))),
        logger: logger)
    let group = ServiceGroup(services: [relay], logger: logger)
    try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        try await eventually("the picture changes are delivered") {
            try await pictureChangesWaiting(in: database, logger: logger) == 0
        }
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
    }
}
