import PonderReasoning

extension APIError {
    /// The `400` for a tool the server's catalog refuses, on `ponder.tools`: an unknown name
    /// (code `invalid_value`), or `python` on a server started without code execution (code
    /// `code_execution_disabled`).
    static func refused(_ refusal: ToolRefusal) -> APIError {
        switch refusal {
        case .unknownTool(let name, let known):
            APIError.invalid("Unknown tool '\(name)' in 'ponder.tools'. Known: \(known.joined(separator: ", ")).", param: "ponder.tools")
        case .codeExecutionDisabled(let name):
            APIError.invalid(
                "Code execution is disabled on this server: the '\(name)' tool runs only when the operator starts it with 'ponder serve --allow-code-execution'.",
                param: "ponder.tools", code: "code_execution_disabled")
        }
    }
}
