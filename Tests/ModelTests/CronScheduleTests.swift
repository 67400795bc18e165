import Foundation
import Model
import Testing

@Suite("Spring cron expressions (difi.move.nextmove.statusPollingCron)")
struct CronScheduleTests {
    let utc = TimeZone(identifier: "UTC")!
    /// 2026-03-02 10:15:30 UTC, a Monday.
    let monday = Date(timeIntervalSince1970: 1_772_446_530)

    func ticks(_ expression: String, count: Int, from start: Date) throws -> [Date] {
        let cron = try CronSchedule(expression, timeZone: utc)
        var result: [Date] = []
        var at = start
        for _ in 0..<count {
            guard let next = cron.next(after: at) else { break }
            result.append(next)
            at = next
        }
        return result
    }

    @Test("The upstream default fires at second 0 of every minute")
    func everyMinute() throws {
        let ticks = try ticks("0 * * * * *", count: 3, from: monday)
        #expect(ticks.map { $0.timeIntervalSince(monday) } == [30, 90, 150])
    }

    @Test("'*/2 * * * * *' fires every two seconds, on even seconds")
    func everyTwoSeconds() throws {
        let ticks = try ticks("*/2 * * * * *", count: 3, from: monday)
        #expect(ticks.map { $0.timeIntervalSince(monday) } == [2, 4, 6])
        let odd = monday.addingTimeInterval(1)
        #expect(try CronSchedule("*/2 * * * * *", timeZone: utc).next(after: odd) == monday.addingTimeInterval(2))
    }

    @Test("Ranges, lists, steps and names: weekdays 08–16 at :00 and :30")
    func workingHours() throws {
        let cron = try CronSchedule("0 0,30 8-16 * * MON-FRI", timeZone: utc)
        #expect(cron.next(after: monday) == monday.addingTimeInterval(14 * 60 + 30))        // 10:30:00
        let fridayEvening = monday.addingTimeInterval(4 * 86_400 + 7 * 3600)                 // Fri 17:15:30
        let next = try #require(cron.next(after: fridayEvening))
        #expect(next == monday.addingTimeInterval(7 * 86_400 - 2 * 3600 - 15 * 60 - 30))      // Mon 08:00:00
        #expect(try CronSchedule("0 0 12 1 JAN,JUL ?", timeZone: utc).next(after: monday)
                == Date(timeIntervalSince1970: 1_782_907_200))                              // 2026-07-01 12:00 UTC
    }

    @Test("Sunday is 0 and 7")
    func sunday() throws {
        let zero = try CronSchedule("0 0 0 * * 0", timeZone: utc)
        let seven = try CronSchedule("0 0 0 * * 7", timeZone: utc)
        #expect(zero.next(after: monday) == seven.next(after: monday))
        #expect(zero.next(after: monday) == monday.addingTimeInterval(6 * 86_400 - 10 * 3600 - 15 * 60 - 30))
    }

    @Test("Bad expressions are refused with what is wrong", arguments: [
        ("0 * * * *", "has 5 fields"),
        ("61 * * * * *", "second field '61'"),
        ("0 * * L * *", "L, W or #"),
        ("0 */0 * * * *", "positive step"),
        ("0 * 5-2 * * *", "runs backwards"),
        ("0 * * * FOO *", "month field 'FOO'"),
    ])
    func refused(expression: String, text: String) {
        do {
            _ = try CronSchedule(expression)
            Issue.record("'\(expression)' was accepted")
        } catch {
            #expect("\(error)".contains(text), "\(error)")
        }
    }

    @Test("An expression that never fires answers nil rather than looping")
    func neverFires() throws {
        #expect(try CronSchedule("0 0 0 30 2 *", timeZone: utc).next(after: monday) == nil)
    }
}
