import AlphaContracts
import AlphaGRPC
import GRPCCore

/// The gRPC clients the gateway calls, one stub per service API.
public struct Upstreams: Sendable {
    public typealias Transport = BalancingClientTransport

    public let accounts: Alpha_User_V1_Accounts.Client<Transport>
    public let users: Alpha_User_V1_Users.Client<Transport>
    public let subscriptions: Alpha_User_V1_Subscriptions.Client<Transport>
    public let sessions: Alpha_User_V1_Sessions.Client<Transport>
    public let posts: Alpha_Post_V1_Posts.Client<Transport>
    public let notifications: Alpha_Notification_V1_Notifications.Client<Transport>
    public let push: Alpha_Notification_V1_Push.Client<Transport>
    public let images: Alpha_Image_V1_Images.Client<Transport>
    public let interactions: Alpha_Post_V1_Interactions.Client<Transport>

    public init(
        user: GRPCClient<Transport>,
        post: GRPCClient<Transport>,
        notification: GRPCClient<Transport>,
        image: GRPCClient<Transport>
    ) {
        self.accounts = Alpha_User_V1_Accounts.Client(wrapping: user)
        self.users = Alpha_User_V1_Users.Client(wrapping: user)
        self.subscriptions = Alpha_User_V1_Subscriptions.Client(wrapping: user)
        self.sessions = Alpha_User_V1_Sessions.Client(wrapping: user)
        self.posts = Alpha_Post_V1_Posts.Client(wrapping: post)
        self.notifications = Alpha_Notification_V1_Notifications.Client(wrapping: notification)
        self.push = Alpha_Notification_V1_Push.Client(wrapping: notification)
        self.images = Alpha_Image_V1_Images.Client(wrapping: image)
        self.interactions = Alpha_Post_V1_Interactions.Client(wrapping: post)
    }

    /// The user service's reads: retried once on another replica when one is unavailable. Nothing
    /// here writes (credential checks stay out: failed logins may be counted).
    public static let idempotentUserMethods: Set<MethodDescriptor> = [
        Alpha_User_V1_Accounts.Method.CheckUser.descriptor,
        Alpha_User_V1_Users.Method.GetProfile.descriptor,
        Alpha_User_V1_Users.Method.SearchUsers.descriptor,
        Alpha_User_V1_Users.Method.ListUsers.descriptor,
        Alpha_User_V1_Subscriptions.Method.ListSubscriptions.descriptor,
    ]

    /// The post service's reads (see ``idempotentUserMethods``).
    public static let idempotentPostMethods: Set<MethodDescriptor> = [
        Alpha_Post_V1_Posts.Method.CountPosts.descriptor
    ]

    /// The notification service's reads (see ``idempotentUserMethods``); registration is idempotent
    /// too (D46: a repeat answers the same id).
    public static let idempotentNotificationMethods: Set<MethodDescriptor> = [
        Alpha_Notification_V1_Notifications.Method.ListNotifications.descriptor,
        Alpha_Notification_V1_Push.Method.GetVapidPublicKey.descriptor,
        Alpha_Notification_V1_Push.Method.RegisterPushSubscription.descriptor,
    ]
}
