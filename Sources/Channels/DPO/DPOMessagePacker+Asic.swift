import Foundation
import Packaging

extension DPOMessagePacker {
    /// The container writer for a message's files: Packaging's `AsicWriter` signs the documents (and the
    /// eFormidling `manifest.xml`, when given) with our virksomhetssertifikat, streaming each file.
    public static func asicContainer(documents: [AsicDocument], manifest: EformidlingManifest?,
                                     signer: PrivateKeyAndCertificate, signingTime: Date) -> ContainerWriter {
        { sink in
            try AsicWriter(identity: signer, signingTime: signingTime).write(manifest: manifest, documents: documents, to: sink)
        }
    }
}
