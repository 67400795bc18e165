import Foundation

/// Request/response bodies from the upstream's REST Docs (API 2.8.2) and cucumber features.
enum Fixtures {
    static let arkivmeldingResponse = """
    {
      "standardBusinessDocumentHeader" : {
        "headerVersion" : "1.0",
        "sender" : [ {
          "identifier" : {
            "value" : "0192:910077473",
            "authority" : "iso6523-actorid-upis"
          }
        } ],
        "receiver" : [ {
          "identifier" : {
            "value" : "0192:910075918",
            "authority" : "iso6523-actorid-upis"
          }
        } ],
        "documentIdentification" : {
          "standard" : "urn:no:difi:arkivmelding:xsd::arkivmelding",
          "typeVersion" : "1.0",
          "instanceIdentifier" : "e99e5cd1-74de-4cce-b902-cecdf97dc4f3",
          "type" : "arkivmelding",
          "creationDateAndTime" : "2019-03-25T11:38:23+02:00"
        },
        "businessScope" : {
          "scope" : [ {
            "type" : "ConversationId",
            "instanceIdentifier" : "b4567a25-672c-4c2e-9a0f-08c52c54254b",
            "identifier" : "urn:no:difi:profile:arkivmelding:planByggOgGeodata:ver1.0",
            "scopeInformation" : [ {
              "expectedResponseDateTime" : "2019-04-25T11:38:23+02:00"
            } ]
          } ]
        }
      },
      "arkivmelding" : {
        "hoveddokument" : "before_the_law.txt"
      }
    }
    """

    static func header(type: String, standard: String, process: String, messageId: String = "c6fbe0f1-64ff-4064-8d19-00f3ca66aecd",
                       conversationId: String = "9c5ce504-13ed-4f18-860b-61f5ae36c427") -> String {
        """
        "standardBusinessDocumentHeader" : {
            "headerVersion" : "1.0",
            "sender" : [ { "identifier" : { "value" : "0192:910077473", "authority" : "iso6523-actorid-upis" } } ],
            "receiver" : [ { "identifier" : { "value" : "0192:910075918", "authority" : "iso6523-actorid-upis" } } ],
            "documentIdentification" : {
              "standard" : "\(standard)",
              "typeVersion" : "1.0",
              "instanceIdentifier" : "\(messageId)",
              "type" : "\(type)",
              "creationDateAndTime" : "2019-03-25T11:38:23+02:00"
            },
            "businessScope" : {
              "scope" : [ {
                "type" : "ConversationId",
                "instanceIdentifier" : "\(conversationId)",
                "identifier" : "\(process)",
                "scopeInformation" : [ { "expectedResponseDateTime" : "2019-04-25T11:38:23+02:00" } ]
              } ]
            }
          }
        """
    }

    static let digitalResponse = "{" + header(type: "digital", standard: "urn:no:difi:digitalpost:xsd:digital::digital",
                                               process: "urn:no:difi:profile:digitalpost:info:ver1.0") + """
    ,
      "digital" : {
        "sikkerhetsnivaa" : 4,
        "hoveddokument" : "kafka_quotes.txt",
        "tittel" : "Kafka quotes",
        "spraak" : "en",
        "digitalPostInfo" : {
          "virkningsdato" : "2019-04-01",
          "aapningskvittering" : true
        },
        "varsler" : {
          "epostTekst" : "Many a book is like a key to unknown chambers within the castle of one’s own self.",
          "smsTekst" : "A book must be the axe for the frozen sea within us."
        },
        "metadataFiler" : { }
      }
    }
    """

    static let digitalDpvResponse = "{" + header(type: "digital_dpv", standard: "urn:no:difi:digitalpost:xsd:digital::digital_dpv",
                                                  process: "urn:no:difi:profile:digitalpost:info:ver1.0") + """
    ,
      "digital_dpv" : {
        "tittel" : "Our winters",
        "sammendrag" : "A quote from Franz Kafka's The Castle",
        "innhold" : "Our winters are very long here, very long and very monotonous."
      }
    }
    """

    static let printResponse = "{" + header(type: "print", standard: "urn:no:difi:digitalpost:xsd:fysisk::print",
                                             process: "urn:no:difi:profile:digitalpost:vedtak:ver1.0") + """
    ,
      "print" : {
        "hoveddokument" : "kafka_quotes.txt",
        "mottaker" : {
          "navn" : "Ola Nordmann",
          "adresselinje1" : "Langtoppilia 1",
          "adresselinje2" : "",
          "adresselinje3" : "",
          "adresselinje4" : "",
          "postnummer" : "9999",
          "poststed" : "FJELL",
          "land" : "Norway"
        },
        "utskriftsfarge" : "FARGE",
        "posttype" : "A_PRIORITERT",
        "retur" : {
          "mottaker" : {
            "navn" : "Fjellheimen kommune",
            "adresselinje1" : "Luftigveien 1",
            "adresselinje2" : "",
            "adresselinje3" : "",
            "adresselinje4" : "",
            "postnummer" : "9999",
            "poststed" : "FJELL",
            "land" : "Norway"
          },
          "returhaandtering" : "DIREKTE_RETUR"
        },
        "printinstruksjoner" : { }
      }
    }
    """

    static let innsynskravResponse = "{" + header(type: "innsynskrav", standard: "urn:no:difi:einnsyn:xsd::innsynskrav",
                                                   process: "urn:no:difi:profile:einnsyn:innsynskrav:ver1.0") + """
    ,
      "innsynskrav" : { "orgnr" : "98765432", "epost" : "doofenshmirtz@evil.inc" }
    }
    """

    static let publiseringResponse = "{" + header(type: "publisering", standard: "urn:no:difi:einnsyn:xsd::publisering",
                                                   process: "urn:no:difi:profile:einnsyn:journalpost:ver1.0") + """
    ,
      "publisering" : { "orgnr" : "98765432" }
    }
    """

    static let avtalt = "{" + header(type: "avtalt", standard: "urn:no:difi:avtalt:xsd::avtalt",
                                      process: "urn:no:difi:profile:avtalt:avtalt:ver1.0") + """
    ,
      "avtalt" : { "identifier" : "foo", "content" : { "innhold" : "momomomomo", "n" : [1, 2.5, true, null, "x"] } }
    }
    """

    static let einnsynKvittering = "{" + header(type: "einnsyn_kvittering", standard: "urn:no:difi:einnsyn:xsd::einnsyn_kvittering",
                                                 process: "urn:no:difi:profile:einnsyn:response:ver1.0") + """
    ,
      "einnsyn_kvittering" : { "dokumentId" : "5ad82ad7-46e3-40d4-ac77-a98ad97f605f", "status" : "publisert", "referanseType" : "publisering" }
    }
    """

    static let status = "{" + header(type: "status", standard: "urn:no:difi:eformidling:xsd::status",
                                      process: "urn:no:difi:profile:arkivmelding:response:ver1.0") + """
    ,
      "status" : { "status" : "LEVERT" }
    }
    """

    static let arkivmeldingKvittering = "{" + header(type: "arkivmelding_kvittering", standard: "urn:no:difi:arkivmelding:xsd::arkivmelding_kvittering",
                                                      process: "urn:no:difi:profile:arkivmelding:response:ver1.0") + """
    ,
      "arkivmelding_kvittering" : { "receiptType" : "OK", "relatedToMessageId" : "e99e5cd1-74de-4cce-b902-cecdf97dc4f3", "messages" : [ { "code" : "1", "text" : "ok" } ] }
    }
    """

    static let dialogmelding = "{" + header(type: "dialogmelding", standard: "urn:no:difi:digitalpost:json:schema::dialogmelding",
                                             process: "urn:no:difi:profile:helse:helse:ver1.0") + """
    ,
      "dialogmelding" : { "hoveddokument" : "melding.pdf", "pasient" : { "fnr" : "13097248022", "fornavn" : "Kari", "etternavn" : "Nordmann" },
        "metadataFiler" : { "vedlegg.pdf" : { "issueDate" : "2024-01-02T10:00:00Z", "description" : "Vedlegg" } } }
    }
    """

    static let dialogmeldingKvittering = "{" + header(type: "dialogmelding_kvittering", standard: "urn:no:difi:helse:xsd::dialogmelding_kvittering",
                                                       process: "urn:no:difi:profile:helse:response:ver1.0") + """
    ,
      "dialogmelding_kvittering" : { "relatedToMessageId" : "e99e5cd1-74de-4cce-b902-cecdf97dc4f3", "status" : "OK", "messages" : [], "rawReceipt" : "<AppRec/>" }
    }
    """

    /// `cucumber/nextmove_send_dpo.feature` request (no creationDateAndTime, sikkerhetsnivaa 3).
    static let cucumberDpoRequest = """
    {
      "standardBusinessDocumentHeader": {
        "headerVersion": "1.0",
        "sender":   [ { "identifier": { "authority": "iso6523-actorid-upis", "value": "0192:910077473" } } ],
        "receiver": [ { "identifier": { "authority": "iso6523-actorid-upis", "value": "0192:910075918" } } ],
        "documentIdentification": {
          "standard": "urn:no:difi:arkivmelding:xsd::arkivmelding",
          "typeVersion": "2.0",
          "instanceIdentifier": "ff88849c-e281-4809-8555-7cd54952b916",
          "type": "arkivmelding",
          "creationDateAndTime": "2019-03-25T11:35:00+01:00"
        },
        "businessScope": {
          "scope": [ {
            "type": "ConversationId",
            "instanceIdentifier": "37efbd4c-413d-4e2c-bbc5-257ef4a65a56",
            "identifier": "urn:no:difi:profile:arkivmelding:administrasjon:ver1.0",
            "scopeInformation": [ { "expectedResponseDateTime": "2019-05-10T00:31:52+01:00" } ]
          } ]
        }
      },
      "arkivmelding": { "sikkerhetsnivaa": 3, "hoveddokument": "arkivmelding.xml" }
    }
    """

    static let allRoundTrip: [(String, String)] = [
        ("arkivmelding", arkivmeldingResponse), ("digital", digitalResponse), ("digital_dpv", digitalDpvResponse),
        ("print", printResponse), ("innsynskrav", innsynskravResponse), ("publisering", publiseringResponse),
        ("avtalt", avtalt), ("einnsyn_kvittering", einnsynKvittering), ("status", status),
        ("arkivmelding_kvittering", arkivmeldingKvittering), ("dialogmelding", dialogmelding),
        ("dialogmelding_kvittering", dialogmeldingKvittering), ("cucumber", cucumberDpoRequest),
    ]
}

/// Parses JSON text into Foundation objects for semantic comparison (dates compared as the strings they are).
func jsonObject(_ data: Data) -> NSObject? {
    (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) as? NSObject
}

func jsonObject(_ text: String) -> NSObject? { jsonObject(Data(text.utf8)) }
