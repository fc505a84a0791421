import Foundation
import PonderCore

/// A verifier fitted on the running model's own labelled chains, loaded from its file
/// (`--verifier FILE`). Best-of-n answers with the chain it scores highest, confident-vote keeps
/// and weights chains by its probabilities, and check-and-revise revises while it doubts.
///
/// ```swift
/// let verifier = try TrainedVerifier.load(path: "verifiers/smollm2.json", for: identity)
/// let configuration = try ReasoningConfiguration(effort: .high, strategy: .bestOfN, trainedVerifier: verifier)
/// ```
public struct TrainedVerifier: Sendable, Hashable {
    /// The file's contents.
    public let file: VerifierFile
    /// Where it was read from (for messages).
    public let path: String
    /// `sha256:` and the first 12 hex digits of the file's bytes: what an eval run records.
    public let digest: String

    /// A verifier from a file's contents already checked by the caller.
    public init(file: VerifierFile, path: String = "(memory)") {
        self.file = file
        self.path = path
        self.digest = Self.digest(of: (try? file.encoded()) ?? Data())
    }

    private init(file: VerifierFile, path: String, data: Data) {
        self.file = file
        self.path = path
        self.digest = Self.digest(of: data)
    }

    private static func digest(of data: Data) -> String {
        var hash = SHA256()
        hash.update(data)
        return "sha256:" + hash.finalize().prefix(6).map { String(format: "%02x", $0) }.joined()
    }

    /// Reads and checks a verifier file for the model `identity`.
    /// - Throws: `VerifierFileError` when the file is unreadable, not a verifier file, of another
    ///   version, or fitted on another model.
    public static func load(path: String, for identity: ModelIdentity) throws(VerifierFileError) -> TrainedVerifier {
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path: path) }
        let file: VerifierFile
        do {
            file = try JSONDecoder().decode(VerifierFile.self, from: data)
        } catch {
            if let header = try? JSONDecoder().decode(Header.self, from: data), header.format == VerifierFile.formatName,
               header.version != VerifierFile.currentVersion {
                throw .unsupportedVersion(path: path, version: header.version)
            }
            throw .malformed(path: path, reason: "not a ponder verifier JSON file")
        }
        guard file.format == VerifierFile.formatName else { throw .malformed(path: path, reason: "its format is '\(file.format)'") }
        guard file.version == VerifierFile.currentVersion else { throw .unsupportedVersion(path: path, version: file.version) }
        guard file.batch.isWellFormed, file.single.isWellFormed else {
            throw .malformed(path: path, reason: "its weights are inconsistent or not finite")
        }
        guard !file.single.features.contains(where: \.needsOtherChains) else {
            throw .malformed(path: path, reason: "its single-chain model uses agreement with other chains")
        }
        guard file.confidencePercentiles.count == 21, file.confidencePercentiles.allSatisfy(\.isFinite) else {
            throw .malformed(path: path, reason: "it needs 21 finite confidence percentiles")
        }
        if let rule = file.auto, !rule.isValid { throw .malformed(path: path, reason: "its auto rule is out of range") }
        guard file.model.digest == identity.digest else { throw .otherModel(path: path, fitted: file.model, running: identity) }
        return TrainedVerifier(file: file, path: path, data: data)
    }

    private struct Header: Decodable {
        var format: String
        var version: Int
    }

    /// Whether scoring asks the model for P("Yes") on each chain (one short extra prompt each).
    public func usesJudge(alone: Bool) -> Bool {
        (alone ? file.single : file.batch).features.contains(where: \.needsJudge)
    }

    /// P(correct) for each chain of one question; `judge` is each chain's P("Yes") when
    /// ``usesJudge(alone:)``. One chain alone is scored by the single-chain model.
    public func probabilities(for chains: [ReasoningChain], question: String, judge: [Double]?) -> [Double] {
        let model = chains.count == 1 ? file.single : file.batch
        return ChainFeatures.rows(for: chains, question: question, judge: judge).map(model.probability)
    }
}
