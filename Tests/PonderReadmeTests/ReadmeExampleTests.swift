import Foundation
import Testing

/// The README's library example is compiled on every `swift test`: it is the `ponder-readme-example`
/// target's main.swift (Tests/ReadmeExample), which this target depends on, so the build fails when
/// the example stops compiling. This test fails when the two texts drift apart. The program is
/// only built, never run (it would load the model).
@Suite struct ReadmeExampleTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The first `swift` code block after the heading `## As a Swift library`.
    static func libraryExample(in readme: String) -> String? {
        guard let section = readme.range(of: "\n## As a Swift library\n"),
              let open = readme.range(of: "```swift\n", range: section.upperBound..<readme.endIndex),
              let close = readme.range(of: "\n```\n", range: open.upperBound..<readme.endIndex) else { return nil }
        return String(readme[open.upperBound..<close.lowerBound]) + "\n"
    }

    @Test func theCompiledExampleIsTheReadmeExample() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        let compiled = try String(contentsOf: Self.root.appendingPathComponent("Tests/ReadmeExample/main.swift"), encoding: .utf8)
        let example = try #require(Self.libraryExample(in: readme), "README.md has no swift block under '## As a Swift library'")
        #expect(example == compiled, "Tests/ReadmeExample/main.swift must be the README's library example, byte for byte; copy the block over")
    }
}
