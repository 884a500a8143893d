import AlphaContracts
import GRPCCore
import GRPCNIOTransportHTTP2

/// The gRPC clients the gateway calls, one stub per service API.
public struct Upstreams: Sendable {
    public typealias Transport = HTTP2ClientTransport.Posix

    public let accounts: Alpha_User_V1_Accounts.Client<Transport>
    public let users: Alpha_User_V1_Users.Client<Transport>
    public let subscriptions: Alpha_User_V1_Subscriptions.Client<Transport>
    public let posts: Alpha_Post_V1_Posts.Client<Transport>
    public let images: Alpha_Image_V1_Images.Client<Transport>
    public let interactions: Alpha_Post_V1_Interactions.Client<Transport>

    public init(user: GRPCClient<Transport>, post: GRPCClient<Transport>, image: GRPCClient<Transport>) {
        self.accounts = Alpha_User_V1_Accounts.Client(wrapping: user)
        self.users = Alpha_User_V1_Users.Client(wrapping: user)
        self.subscriptions = Alpha_User_V1_Subscriptions.Client(wrapping: user)
        self.posts = Alpha_Post_V1_Posts.Client(wrapping: post)
        self.images = Alpha_Image_V1_Images.Client(wrapping: image)
        self.interactions = Alpha_Post_V1_Interactions.Client(wrapping: post)
    }
}
