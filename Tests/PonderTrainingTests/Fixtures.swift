import Foundation
import PonderCore
import PonderEval
import PonderLlama
import PonderReasoning
import PonderTesting
import PonderTrainingTesting
@testable import PonderTraining

/// A lookup table standing in for the exact evaluator in unit tests: plain numbers are themselves,
/// listed expressions have listed values, anything else is not an expression.
struct TableEvaluator: ExpressionEvaluating {
    var table: [String: Int]

    func canonicalValue(of expression: String) -> String? {
        if let value = Int(expression) { return String(value) }
        return table[expression].map(String.init)
    }
}

/// The two operands of "What is A + B?".
func operands(of question: String) -> (Int, Int)? { ScriptedArithmetic.operands(of: question) }

/// A correct chain for "What is A + B?".
func rightChain(_ question: String) -> String { ScriptedArithmetic.rightChain(question) }

/// A wrong chain for "What is A + B?".
func wrongChain(_ question: String) -> String { ScriptedArithmetic.wrongChain(question) }

func addition(_ id: String, _ a: Int, _ b: Int) -> EvalProblem {
    EvalProblem(id: id, question: "What is \(a) + \(b)?", expected: String(a + b), kind: .number)
}

/// Thrown by a stage hook to simulate a kill.
struct SimulatedKill: Error {}

/// The scripted training runtime (PonderTrainingTesting).
typealias ScriptedBackend = ScriptedTrainingBackend

func temporaryDirectory() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("ponder-train-\(UUID().uuidString)")
}
