/// Runs work for many items at once, but never more than a limit at a time.
public enum BoundedConcurrency {
    /// `transform` applied to every element, at most `limit` at a time; the results in the order of `items`.
    public static func map<Item: Sendable, Result: Sendable>(
        _ items: [Item], limit: Int, _ transform: @escaping @Sendable (Item) async -> Result
    ) async -> [Result] {
        guard items.count > 1, limit > 1 else {
            var results: [Result] = []
            for item in items { results.append(await transform(item)) }
            return results
        }
        return await withTaskGroup(of: (Int, Result).self) { group in
            var results = [Result?](repeating: nil, count: items.count)
            var next = 0
            for _ in 0..<min(limit, items.count) {
                let index = next
                group.addTask { (index, await transform(items[index])) }
                next += 1
            }
            while let (index, result) = await group.next() {
                results[index] = result
                if next < items.count {
                    let index = next
                    group.addTask { (index, await transform(items[index])) }
                    next += 1
                }
            }
            return results.map { $0! }
        }
    }
}
