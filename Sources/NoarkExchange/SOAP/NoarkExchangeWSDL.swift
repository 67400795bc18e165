/// The WSDL served at `GET /noarkExchange?wsdl`: the upstream's `noarkExchange.wsdl` (service `noarkExchange`, port
/// `NoarkExchangePort`, document/literal, `soapAction=""`) with `noarkExchange-types.xsd` inlined, so a client needs
/// one request, and the address set to where it was fetched from.
public enum NoarkExchangeWSDL {
    public static func document(location: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/"
        	xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
        	xmlns:http="http://schemas.xmlsoap.org/wsdl/http/"
        	xmlns:xs="http://www.w3.org/2001/XMLSchema"
        	xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/"
        	xmlns:mime="http://schemas.xmlsoap.org/wsdl/mime/"
        	xmlns:types="http://www.arkivverket.no/Noark/Exchange/types"
        	xmlns:tns="http://www.arkivverket.no/Noark/Exchange"
        	targetNamespace="http://www.arkivverket.no/Noark/Exchange">
        	<wsdl:types>
        <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="http://www.arkivverket.no/Noark/Exchange/types" xmlns:types="http://www.arkivverket.no/Noark/Exchange/types" elementFormDefault="unqualified">
          <xs:complexType name="EnvelopeType">
            <xs:sequence>
              <xs:element name="sender" type="types:AddressType" minOccurs="1" maxOccurs="1" nillable="false" />
              <xs:element name="receiver" type="types:AddressType" minOccurs="1" maxOccurs="1" nillable="false" />
            </xs:sequence>
            <xs:attribute name="conversationId" type="xs:string" use="required" />
            <xs:attribute name="contentNamespace" type="xs:string" use="required" />
          </xs:complexType>
          <xs:complexType name="AddressType">
            <xs:sequence>
              <xs:element name="orgnr" type="xs:string" minOccurs="1" maxOccurs="1" nillable="false" />
              <xs:element name="name" type="xs:string" minOccurs="0" />
              <xs:element name="email" type="xs:string" minOccurs="0" />
              <xs:element name="ref" type="xs:string" minOccurs="0" />
            </xs:sequence>
          </xs:complexType>
          <xs:complexType name="AppReceiptType">
            <xs:sequence>
              <xs:element name="message" type="types:StatusMessageType" minOccurs="0" maxOccurs="unbounded" />
            </xs:sequence>
            <xs:attribute name="type" use="required">
              <xs:simpleType>
                <xs:restriction base="xs:NMTOKEN">
                  <xs:enumeration value="OK">
                  </xs:enumeration>
                  <xs:enumeration value="NOTSUPPORTED">
                  </xs:enumeration>
                  <xs:enumeration value="WARNING">
                  </xs:enumeration>
                  <xs:enumeration value="ERROR">
                  </xs:enumeration>
                </xs:restriction>
              </xs:simpleType>
            </xs:attribute>
          </xs:complexType>
          <xs:complexType name="StatusMessageType">
            <xs:sequence>
              <xs:element name="text" type="xs:string" />
            </xs:sequence>
            <xs:attribute name="code" type="xs:string" use="required" />
          </xs:complexType>
          <xs:complexType name="GetCanReceiveMessageRequestType">
            <xs:sequence>
              <xs:element name="receiver" type="types:AddressType" />
            </xs:sequence>
          </xs:complexType>
          <xs:complexType name="GetCanReceiveMessageResponseType">
            <xs:sequence>
              <xs:element name="result" type="xs:boolean" />
            </xs:sequence>
          </xs:complexType>
          <xs:complexType name="PutMessageRequestType">
            <xs:sequence>
              <xs:element name="envelope" type="types:EnvelopeType" />
              <xs:element name="payload" type="xs:anyType" />
            </xs:sequence>
          </xs:complexType>
          <xs:complexType name="PutMessageResponseType">
            <xs:sequence>
              <xs:element name="result" type="types:AppReceiptType" />
            </xs:sequence>
          </xs:complexType>
          <xs:element name="GetCanReceiveMessageRequest" type="types:GetCanReceiveMessageRequestType" />
          <xs:element name="GetCanReceiveMessageResponse" type="types:GetCanReceiveMessageResponseType" />
          <xs:element name="PutMessageRequest" type="types:PutMessageRequestType" />
          <xs:element name="PutMessageResponse" type="types:PutMessageResponseType" />
        </xs:schema>
        	</wsdl:types>
        	<wsdl:message name="GetCanReceiveMessageRequestMessage">
        		<wsdl:part name="getCanReceiveMessageRequest" element="types:GetCanReceiveMessageRequest"/>
        	</wsdl:message>
        	<wsdl:message name="GetCanReceiveMessageResponseMessage">
        		<wsdl:part name="getCanReceiveMessageResponse" element="types:GetCanReceiveMessageResponse"/>
        	</wsdl:message>
        	<wsdl:message name="PutMessageRequestMessage">
        		<wsdl:part name="putMessageRequest" element="types:PutMessageRequest"/>
        	</wsdl:message>
        	<wsdl:message name="PutMessageResponseMessage">
        		<wsdl:part name="putMessageResponse" element="types:PutMessageResponse"/>
        	</wsdl:message>
          	<wsdl:portType name="SOAPport">
        		<wsdl:operation name="GetCanReceiveMessage">
        			<wsdl:input message="tns:GetCanReceiveMessageRequestMessage"/>
        			<wsdl:output message="tns:GetCanReceiveMessageResponseMessage"/>
        		</wsdl:operation>
        		<wsdl:operation name="PutMessage">
          			<wsdl:input message="tns:PutMessageRequestMessage"/>
          			<wsdl:output message="tns:PutMessageResponseMessage"/>
        		</wsdl:operation>
        	</wsdl:portType>
        	<wsdl:binding name="noarkExchangeBinding" type="tns:SOAPport">
        		<soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
            		<wsdl:operation name="GetCanReceiveMessage">
            			<soap:operation soapAction=""/>
              			<wsdl:input>
                			<soap:body use="literal"/>
              			</wsdl:input>
              			<wsdl:output>
              		  		<soap:body use="literal"/>
              			</wsdl:output>
            		</wsdl:operation>
            		<wsdl:operation name="PutMessage">
            			<soap:operation soapAction=""/>
              			<wsdl:input>
                			<soap:body use="literal"/>
              			</wsdl:input>
              			<wsdl:output>
              		  		<soap:body use="literal"/>
              			</wsdl:output>
            		</wsdl:operation>
          	</wsdl:binding>
        	<wsdl:service name="noarkExchange">
        		<wsdl:port name="NoarkExchangePort" binding="tns:noarkExchangeBinding">
        			<soap:address location="\(XMLWriter.escape(location))"/>
                </wsdl:port>
        	</wsdl:service>
        </wsdl:definitions>
        """
    }
}
