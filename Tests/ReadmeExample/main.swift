// Package.swift: .package(path: "../ponder"), then depend on "PonderLlama" and "PonderReasoning".
import PonderLlama
import PonderReasoning

let engine = try LlamaEngine(modelPath: DefaultModel.path)
let reasoner = Reasoner(model: engine)                       // any LanguageModel works
let configuration = try ReasoningConfiguration(effort: .medium, samples: 8)
let trace = try await reasoner.answer("What is 23 + 45?", configuration: configuration)
print(trace.answer, trace.extractedAnswer ?? "-", trace.usage.reasoningTokens)
for summary in trace.summaries { print(summary.title, "—", summary.text) }
