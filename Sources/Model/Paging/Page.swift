/// One page of results, encoded exactly as Spring Data serialises a `PageImpl` (`nextmove-api.md` §1.2).
public struct Page<Element: Sendable>: Sendable {
    public var content: [Element]
    public var request: PageRequest
    public var totalElements: Int

    public init(content: [Element], request: PageRequest, totalElements: Int) {
        self.content = content
        self.request = request
        self.totalElements = totalElements
    }

    public var totalPages: Int {
        request.size == 0 ? 1 : (totalElements + request.size - 1) / request.size
    }

    public func map<T>(_ transform: (Element) throws -> T) rethrows -> Page<T> {
        Page<T>(content: try content.map(transform), request: request, totalElements: totalElements)
    }
}

extension Page: Encodable where Element: Encodable {
    enum CodingKeys: String, CodingKey {
        case content, pageable, last, totalElements, totalPages, first, size, number, sort, numberOfElements, empty
    }
    enum PageableKeys: String, CodingKey { case pageNumber, pageSize, sort, offset, paged, unpaged }
    enum SortKeys: String, CodingKey { case empty, sorted, unsorted }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(content, forKey: .content)
        var pageable = c.nestedContainer(keyedBy: PageableKeys.self, forKey: .pageable)
        try pageable.encode(request.page, forKey: .pageNumber)
        try pageable.encode(request.size, forKey: .pageSize)
        try encodeSort(into: pageable.nestedContainer(keyedBy: SortKeys.self, forKey: .sort))
        try pageable.encode(request.offset, forKey: .offset)
        try pageable.encode(true, forKey: .paged)
        try pageable.encode(false, forKey: .unpaged)
        try c.encode(request.page + 1 >= totalPages, forKey: .last)
        try c.encode(totalElements, forKey: .totalElements)
        try c.encode(totalPages, forKey: .totalPages)
        try c.encode(request.page == 0, forKey: .first)
        try c.encode(request.size, forKey: .size)
        try c.encode(request.page, forKey: .number)
        try encodeSort(into: c.nestedContainer(keyedBy: SortKeys.self, forKey: .sort))
        try c.encode(content.count, forKey: .numberOfElements)
        try c.encode(content.isEmpty, forKey: .empty)
    }

    private func encodeSort(into container: KeyedEncodingContainer<SortKeys>) throws {
        var container = container
        try container.encode(request.sort.isEmpty, forKey: .empty)
        try container.encode(!request.sort.isEmpty, forKey: .sorted)
        try container.encode(request.sort.isEmpty, forKey: .unsorted)
    }
}
