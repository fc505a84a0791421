/// Unrelated everyday prompts whose answers by the base model are mixed into training (replay), so
/// the model keeps its general behaviour — answering plainly and ending its turn — while it learns
/// the task.
public enum ReplayPrompts {
    /// The built-in prompts.
    public static let all: [String] = [
        "Say hello in one short sentence.",
        "Name three colors.",
        "What is the capital of France?",
        "Give me one tip for sleeping better.",
        "Write a one-sentence description of a cat.",
        "What day comes after Monday?",
        "Name two fruits that are yellow.",
        "Suggest a name for a small dog.",
        "What is water made of?",
        "Describe the sky on a sunny day in one sentence.",
        "List three things you might find in a kitchen.",
        "What do bees make?",
        "Give a synonym for happy.",
        "Translate 'thank you' into Spanish.",
        "What season comes after winter?",
        "Name a planet in our solar system.",
        "Write a short greeting for a birthday card.",
        "What is the opposite of cold?",
        "Name an animal that lives in the ocean.",
        "How many days are in a week?",
        "What do plants need to grow?",
        "Give one reason to drink water.",
        "What is a good breakfast food?",
        "Name a musical instrument with strings.",
    ]
}
