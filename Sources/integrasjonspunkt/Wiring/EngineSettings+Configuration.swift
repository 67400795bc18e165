import Engine
import Foundation
import IPConfiguration
import Model

extension EngineSettings {
    /// The engine's view of the configuration.
    init(_ configuration: IntegrasjonspunktConfiguration) {
        self.init(orgNumber: configuration.org.number)
        let services: [ServiceIdentifier] = [.DPO, .DPV, .DPI, .DPF, .DPE, .DPH]
        for service in services {
            if let hours = configuration.defaultTtlHours[service.rawValue] { defaultTtlHours[service] = Double(hours) }
            if let limit = configuration.uploadSizeLimits[service.rawValue] { uploadSizeLimits[service] = limit }
        }
        fallbackTtlHours = Double(configuration.nextmove.defaultTtlHours)
        lockTimeout = TimeInterval(configuration.nextmove.lockTimeoutMinutes * 60)
        statusServices = Set(configuration.nextmove.statusServices.compactMap { ServiceIdentifier(rawValue: $0.uppercased()) })
        statusQueueIncludes = Set(configuration.features.statusQueueIncludes.compactMap { ServiceIdentifier(rawValue: $0.uppercased()) })
        enabledServices = Set(configuration.features.enabledChannels.compactMap(ServiceIdentifier.init(rawValue:)))
        retry = RetrySchedule(initialDelay: configuration.queue.initialDelay.seconds,
                              multiplier: configuration.queue.multiplier,
                              maxDelay: configuration.queue.maxDelay.seconds,
                              maxAttempts: 5 + configuration.queue.maximumRetryHours)
        concurrency = configuration.queue.concurrency
        expiryInterval = configuration.nextmove.ttlPollingRate.seconds
        arkivmeldingReceiptProcess = configuration.processes.arkivmeldingReceiptProcess
        einnsynReceiptProcess = configuration.processes.einnsynReceiptProcess
        avtaltReceiptProcess = configuration.processes.avtaltReceiptProcess
        statusDocumentType = configuration.nextmove.statusDocumentType
        webhookTimeout = configuration.webhooks.readTimeout.seconds
        allowSyntheticIdentifiers = configuration.allowSyntheticIdentifiers
        statusRetention = TimeInterval(configuration.nextmove.statusRetentionDays) * 86_400
        statusPolling.enabled = configuration.features.enableReceipts
        statusPolling.conversationsPerRun = configuration.nextmove.statusPollingPageSize
        statusPolling.backoffThreshold = TimeInterval(configuration.nextmove.statusPollingBackoffThresholdDays) * 86_400
        statusPolling.maximumInterval = max(TimeInterval(configuration.nextmove.statusPollingBackoffMaxIntervalMinutes) * 60,
                                            statusPolling.minimumInterval)
        generateArkivmeldingReceipts = configuration.processes.generateArkivmeldingReceipts
        arkivmeldingDocumentType = configuration.processes.arkivmeldingDefaultDocumentType
        arkivmeldingReceiptDocumentType = configuration.processes.arkivmeldingReceiptDocumentType
    }
}

extension Duration {
    /// The duration in seconds, as a `TimeInterval`.
    var seconds: TimeInterval {
        let parts = components
        return TimeInterval(parts.seconds) + TimeInterval(parts.attoseconds) / 1e18
    }
}
