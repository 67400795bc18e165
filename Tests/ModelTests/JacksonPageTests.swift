import Foundation
import Testing
@testable import Model

/// The lead's existing encoders keep their member order only through `JacksonJSON` (Foundation's `JSONEncoder`
/// on Linux reorders members).
@Suite struct JacksonPageTests {
    @Test func pageOfSubscriptions() throws {
        let subscription = WebhookSubscription(id: 84, name: "Incoming messages",
                                               pushEndpoint: "http://my.pushendpoint.no/messages/incoming",
                                               resource: "messages", event: "status",
                                               filter: "status=INNKOMMENDE_MOTTAT&direction=INCOMING")
        let page = Page(content: [subscription], request: PageRequest(), totalElements: 1)
        let text = String(decoding: try JacksonJSON.encode(page), as: UTF8.self)
        #expect(text == """
        {
          "content" : [ {
            "id" : 84,
            "name" : "Incoming messages",
            "pushEndpoint" : "http://my.pushendpoint.no/messages/incoming",
            "resource" : "messages",
            "event" : "status",
            "filter" : "status=INNKOMMENDE_MOTTAT&direction=INCOMING"
          } ],
          "pageable" : {
            "pageNumber" : 0,
            "pageSize" : 10,
            "sort" : {
              "empty" : true,
              "sorted" : false,
              "unsorted" : true
            },
            "offset" : 0,
            "paged" : true,
            "unpaged" : false
          },
          "last" : true,
          "totalElements" : 1,
          "totalPages" : 1,
          "first" : true,
          "size" : 10,
          "number" : 0,
          "sort" : {
            "empty" : true,
            "sorted" : false,
            "unsorted" : true
          },
          "numberOfElements" : 1,
          "empty" : false
        }
        """)
    }
}
