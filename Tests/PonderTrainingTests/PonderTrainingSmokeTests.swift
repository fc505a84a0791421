import Testing
@testable import PonderTraining

@Test func PonderTrainingModuleLinks() {
    #expect(String(describing: PonderTrainingModule.self).hasSuffix("Module"))
}
