import Testing
@testable import PonderOpenAI

@Test func PonderOpenAIModuleLinks() {
    #expect(String(describing: PonderOpenAIModule.self).hasSuffix("Module"))
}
