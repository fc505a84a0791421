import Foundation
import Logging
import PonderCore

/// One fine-tune through a `TrainingBackend`'s `Trainer`: examples tokenized by the trainer (one
/// conversation per window, ending with the end-of-turn token), a seeded validation split, one
/// example per optimizer step, validation loss after each epoch with early stopping, and the best
/// epoch saved. Resumable at epoch boundaries: each kept epoch's weights go to their own
/// checkpoint file (`<output stem>.epoch-N.gguf`, written through `.partial`) before
/// `fine-tune.json` names it, and the previous checkpoint is deleted only after that, so a kill at
/// any instant leaves a state file that names weights on disk (the optimizer's moments restart).
/// The best checkpoint is renamed to the output at the end.
///
/// ```swift
/// let report = try await FineTuneLoop(job: job, backend: LlamaTrainingBackend(), progress: { print($0.loss) }).run()
/// ```
public struct FineTuneLoop: Sendable {
    /// What to train, from what, into what.
    public let job: FineTuneJob
    /// The runtime whose trainer takes the steps.
    public let backend: any TrainingBackend
    /// Sees every step.
    public let progress: @Sendable (FineTuneProgress) -> Void
    private let logger = Logger(label: "ponder.train")

    /// Creates the loop; nothing runs until `run()`.
    public init(job: FineTuneJob, backend: any TrainingBackend, progress: @escaping @Sendable (FineTuneProgress) -> Void) {
        self.job = job
        self.backend = backend
        self.progress = progress
    }

    /// Runs (or resumes) the fine-tune. Training blocks for minutes: it runs on its own thread,
    /// off Swift's cooperative pool.
    /// - Throws: `TrainingError.fineTuneFailed`, `.writeFailed` or `.unreadableState`.
    public func run() async throws -> FineTuneReport {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                do {
                    continuation.resume(returning: try runBlocking())
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    /// Progress saved after each epoch.
    struct State: Codable {
        var epochsDone: Int
        /// The epoch whose weights are in its checkpoint file (0: none yet); nil in files from
        /// before checkpoints, whose weights are in the output.
        var savedEpoch: Int?
        var bestValidation: Double?
        var report: FineTuneReport
        var finished: Bool
    }

    /// One line of `train-log.jsonl`.
    /// A tokenized example and the loss weights of its labels (nil: every position).
    struct Weighted: Sendable {
        let tokens: [Int32]
        let weights: [Float]?
        /// Labels masked because a tool forced their tokens in.
        var toolMasked = 0
    }

    struct StepLog: Codable {
        var epoch: Int
        var step: Int
        var loss: Double
        var learningRate: Double
        var seconds: Double

        enum CodingKeys: String, CodingKey {
            case epoch, step, loss, seconds
            case learningRate = "learning_rate"
        }
    }

    /// The loop itself, on the calling thread.
    func runBlocking() throws -> FineTuneReport {
        let settings = job.settings
        let stateURL = job.stateDirectory.appendingPathComponent("fine-tune.json")
        let log = JSONLFile(job.stateDirectory.appendingPathComponent("train-log.jsonl"))
        let fresh = State(epochsDone: 0, savedEpoch: 0, bestValidation: nil, report: FineTuneReport(), finished: false)
        var state = try RunFiles.readJSON(State.self, from: stateURL) ?? fresh
        if state.finished, FileManager.default.fileExists(atPath: job.output) { return state.report }
        let resumeFrom = resumableWeights(state)
        if resumeFrom != nil {
            // Steps of an epoch a kill cut short are trained again: drop their log lines first.
            try log.retain(StepLog.self) { $0.epoch <= state.epochsDone }
        } else {
            state = fresh
            log.remove()
            RunFiles.remove(URL(fileURLWithPath: job.output))
            for epoch in 1...max(settings.epochs, 1) { RunFiles.remove(URL(fileURLWithPath: checkpoint(epoch))) }
        }
        let resuming = resumeFrom != nil

        let trainer: any Trainer
        do {
            let trainerSettings = try TrainerSettings(window: settings.window, learningRate: settings.learningRate,
                                                      trainableLayers: settings.trainableLayers)
            trainer = try backend.makeTrainer(modelPath: resumeFrom ?? job.startModel, settings: trainerSettings)
        } catch {
            throw TrainingError.fineTuneFailed("\(error)")
        }
        // Each window is padded with the token its conversation ends with (the chat template's
        // end of turn, `<|im_end|>` for ChatML). llama.cpp's own end-of-turn guess can be another
        // token (SmolLM2: `<|endoftext|>`, which the chat never writes); padding with it taught the
        // model that token and lowered P(end of turn) after a trained answer.
        func pad(_ tokens: [Int32]) -> Int32 { tokens.last ?? trainer.endOfTurnToken }

        // Tokenize, drop what does not fit, split off validation examples.
        // Each example keeps the loss weights of its labels: assistant-only by default.
        // Tokens a tool forced in (the calculator's results) are masked too: the model read them.
        var tokenized: [Weighted] = []
        var dropped = 0, unplaceable = 0
        for example in job.examples {
            let tokens: [Int32]
            var weights: [Float]?
            var toolMasked = 0
            do {
                tokens = try trainer.tokens(of: example.messages)
                if settings.lossScope == .assistant {
                    let prompt = try trainer.promptLength(of: example.messages)
                    var assistant = type(of: trainer).assistantWeights(count: tokens.count, promptLength: prompt)
                    if let spans = example.maskedSpans, !spans.isEmpty {
                        do {
                            toolMasked += try MaskedSpan.mask(spans, content: example.messages.last?.content ?? "", tokens: tokens,
                                                              promptLength: prompt, weights: &assistant, bytes: trainer.tokenBytes)
                        } catch {
                            logger.warning("fine-tune: dropped an example whose masked spans cannot be placed: \(error)")
                            unplaceable += 1
                            continue
                        }
                    }
                    weights = assistant
                }
            } catch { throw TrainingError.fineTuneFailed("\(error)") }
            if tokens.count > settings.window + 1 { dropped += 1 } else { tokenized.append(Weighted(tokens: tokens, weights: weights, toolMasked: toolMasked)) }
        }
        var random = SplitMix64(seed: settings.seed)
        let order = random.shuffled(Array(tokenized.indices))
        let validationCount = tokenized.count >= 10 ? Int((Double(tokenized.count) * settings.validationShare).rounded()) : 0
        let validation = order.prefix(validationCount).map { tokenized[$0] }
        let training = order.dropFirst(validationCount).map { tokenized[$0] }
        guard !training.isEmpty else {
            throw TrainingError.fineTuneFailed("no training example fits the \(settings.window)-token window")
        }
        state.report.trainingExamples = training.count
        state.report.validationExamples = validation.count
        state.report.droppedTooLong = dropped
        state.report.droppedUnplaceable = unplaceable
        state.report.toolMaskedTokens = training.reduce(0) { $0 + $1.toolMasked }
        state.report.trainingTokens = training.reduce(0) { $0 + $1.tokens.count }
        state.report.lossTokens = training.reduce(0) { $0 + ($1.weights?.filter { $0 != 0 }.count ?? settings.window) }
        logger.info("fine-tune: \(training.count) examples (\(state.report.trainingTokens) tokens), \(validation.count) for validation, \(dropped) too long")

        func validationLoss() throws -> Double? {
            guard !validation.isEmpty else { return nil }
            let losses = try validation.map { try trainer.loss($0.tokens, weights: $0.weights, padToken: pad($0.tokens)) }
            return losses.reduce(0, +) / Double(losses.count)
        }
        if !resuming, let before = try validationLoss() {
            state.report.validationLoss = [before]
            state.bestValidation = before
        }

        let started = Date()
        let totalSteps = training.count * settings.epochs
        var stepsBefore = state.epochsDone * training.count
        for epoch in (state.epochsDone + 1)...max(settings.epochs, state.epochsDone + 1) where epoch <= settings.epochs {
            // Each epoch has its own seeded order, so a resumed run sees the same order.
            var epochRandom = SplitMix64(seed: settings.seed &+ UInt64(epoch))
            var total = 0.0
            let epochStart = Date()
            for (index, example) in epochRandom.shuffled(training).enumerated() {
                let loss: Double
                do { loss = try trainer.step(example.tokens, weights: example.weights, padToken: pad(example.tokens)) } catch { throw TrainingError.fineTuneFailed("\(error)") }
                total += loss
                let step = stepsBefore + index + 1
                let elapsed = Date().timeIntervalSince(epochStart)
                let pace = elapsed / Double(index + 1)
                try log.append(StepLog(epoch: epoch, step: step, loss: loss, learningRate: trainer.learningRate,
                                       seconds: Date().timeIntervalSince(started)))
                logger.debug("step \(step)/\(totalSteps) loss \(loss)")
                progress(FineTuneProgress(epoch: epoch, step: step, totalSteps: totalSteps, loss: loss,
                                          secondsLeft: pace * Double(totalSteps - step)))
            }
            stepsBefore += training.count
            state.report.steps = stepsBefore
            state.report.epochLoss.append(total / Double(training.count))
            state.report.epochs = epoch
            state.epochsDone = epoch
            state.report.seconds += Date().timeIntervalSince(epochStart)
            let validation = try validationLoss()
            if let validation { state.report.validationLoss.append(validation) }
            logger.info("epoch \(epoch): training loss \(state.report.epochLoss.last!), validation loss \(validation.map { "\($0)" } ?? "-")")
            if let validation, let best = state.bestValidation, validation >= best {
                // Validation loss stopped falling: keep the best weights saved so far (or the start).
                state.report.stoppedEarly = epoch < settings.epochs || state.report.stoppedEarly
                break
            }
            state.bestValidation = validation ?? state.bestValidation
            let saved = checkpoint(epoch)
            do { try trainer.save(to: saved) } catch {
                throw TrainingError.writeFailed(path: saved, reason: "\(error)")
            }
            let previous = state.savedEpoch
            state.savedEpoch = epoch
            try RunFiles.writeJSON(state, to: stateURL)
            if let previous, previous > 0 { RunFiles.remove(URL(fileURLWithPath: checkpoint(previous))) }
        }
        try placeBestWeights(state)
        for epoch in 1...max(settings.epochs, 1) { RunFiles.remove(URL(fileURLWithPath: checkpoint(epoch))) }
        state.finished = true
        try RunFiles.writeJSON(state, to: stateURL)
        return state.report
    }

    /// The checkpoint file of one epoch's weights, beside the output.
    func checkpoint(_ epoch: Int) -> String {
        URL(fileURLWithPath: job.output).deletingPathExtension().path + ".epoch-\(epoch).gguf"
    }

    /// The weights a resumed fine-tune continues from: the saved epoch's checkpoint, or the output
    /// when the last rename already happened (or the state predates checkpoints); nil starts afresh.
    private func resumableWeights(_ state: State) -> String? {
        guard state.epochsDone > 0 else { return nil }
        if let saved = state.savedEpoch, saved > 0, FileManager.default.fileExists(atPath: checkpoint(saved)) { return checkpoint(saved) }
        if state.savedEpoch == 0 { return nil }
        return FileManager.default.fileExists(atPath: job.output) ? job.output : nil
    }

    /// Renames the best checkpoint to the output (atomic), or copies the start model there when no
    /// epoch beat it; an output already renamed by a killed run is kept.
    private func placeBestWeights(_ state: State) throws {
        guard let saved = state.savedEpoch, saved > 0 else {
            if state.savedEpoch == nil, FileManager.default.fileExists(atPath: job.output) { return }
            return try copyStart(to: job.output)
        }
        let best = checkpoint(saved)
        if FileManager.default.fileExists(atPath: best) {
            guard rename(best, job.output) == 0 else {
                throw TrainingError.writeFailed(path: job.output, reason: String(cString: strerror(errno)))
            }
        } else if !FileManager.default.fileExists(atPath: job.output) {
            throw TrainingError.unreadableState(path: best, reason: "the saved weights of epoch \(saved) are missing")
        }
    }

    private func copyStart(to output: String) throws {
        do {
            try PartialFile.write(to: output) { partial in try FileManager.default.copyItem(atPath: job.startModel, toPath: partial) }
        } catch {
            throw TrainingError.writeFailed(path: output, reason: "\(error)")
        }
    }
}

extension TrainingBackend {
    /// Runs (or resumes) a fine-tune of `job` with this backend's trainer (`FineTuneLoop`);
    /// `progress` sees every step.
    public func fineTune(_ job: FineTuneJob, progress: @escaping @Sendable (FineTuneProgress) -> Void) async throws -> FineTuneReport {
        try await FineTuneLoop(job: job, backend: self, progress: progress).run()
    }
}
