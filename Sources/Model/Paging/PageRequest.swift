/// A page of a list endpoint, as Spring Data's `Pageable` reads it from `page`, `size` and `sort`.
public struct PageRequest: Sendable, Equatable {
    public static let defaultSize = 10
    public static let maximumSize = 2000

    /// 0-based page number.
    public var page: Int
    public var size: Int
    public var sort: [SortOrder]

    public init(page: Int = 0, size: Int = PageRequest.defaultSize, sort: [SortOrder] = []) {
        self.page = page
        self.size = size
        self.sort = sort
    }

    public var offset: Int { page * size }

    /// This request with `sort` replaced by `defaults` when the client gave none.
    public func sorted(byDefault defaults: [SortOrder]) -> PageRequest {
        var copy = self
        if copy.sort.isEmpty { copy.sort = defaults }
        return copy
    }
}

/// One `sort=property[,asc|desc]` term.
public struct SortOrder: Sendable, Equatable {
    public var property: String
    public var ascending: Bool

    public init(_ property: String, ascending: Bool = true) {
        self.property = property
        self.ascending = ascending
    }
}
