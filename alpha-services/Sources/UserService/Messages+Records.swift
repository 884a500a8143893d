import AlphaContracts
import AlphaDomain

extension Alpha_User_V1_Picture {
    init(_ picture: ProfilePicture) {
        self = .with {
            $0.url = picture.url
            $0.width = Int32(clamping: picture.width)
            $0.height = Int32(clamping: picture.height)
        }
    }
}

extension Alpha_User_V1_UserSummary {
    init(_ user: UserSummaryRecord) {
        self = .with {
            $0.username = user.username
            $0.nickname = user.nickname
            $0.picture = Alpha_User_V1_Picture(user.picture)
        }
    }
}

extension OffsetPage {
    /// The page an RPC asks for, with the gateway's rules applied again (§1.5, D28): a negative offset
    /// is 0, a limit ≤ 0 is 10, a limit above 100 is 100.
    static func normalized(offset: Int32, limit: Int32) -> OffsetPage {
        OffsetPage(
            offset: max(0, Int(offset)),
            limit: limit > 0 ? min(Int(limit), OffsetPage.maxLimit) : OffsetPage.defaultLimit
        )
    }
}
