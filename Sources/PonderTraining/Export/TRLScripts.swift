/// The files `TRLExporter` writes next to the data.
enum TRLScripts {
    /// A TRL reward function that asks `ponder train reward` to score a batch of completions.
    static let reward = #"""
        """GRPO reward for TRL: Ponder's verifier (final-answer equivalence and exact checking of every
        arithmetic step) through `ponder train reward`. Set PONDER to the ponder binary if it is not on PATH."""
        import json
        import os
        import subprocess

        PONDER = os.environ.get("PONDER", "ponder")


        def ponder_reward(completions, answer, question, **kwargs):
            lines = []
            for completion, expected, asked in zip(completions, answer, question):
                text = completion[-1]["content"] if isinstance(completion, list) else completion
                lines.append(json.dumps({"completion": text, "answer": expected, "question": asked}))
            result = subprocess.run([PONDER, "train", "reward"], input="\n".join(lines) + "\n",
                                    capture_output=True, text=True, check=True)
            return [float(value) for value in result.stdout.split()]

        """#

    /// A GRPO training script using the reward above.
    static let grpo = #"""
        """GRPO with Ponder's verifier as the reward. Run from the export directory:
        accelerate launch grpo.py MODEL_ID_OR_PATH"""
        import sys

        from datasets import load_dataset
        from trl import GRPOConfig, GRPOTrainer

        from ponder_reward import ponder_reward

        model = sys.argv[1] if len(sys.argv) > 1 else "HuggingFaceTB/SmolLM2-135M-Instruct"
        dataset = load_dataset("json", data_files="grpo/train.jsonl", split="train")
        args = GRPOConfig(output_dir="grpo-out", num_generations=8, max_completion_length=256,
                          learning_rate=1e-6, logging_steps=10, save_strategy="epoch")
        GRPOTrainer(model=model, reward_funcs=ponder_reward, args=args, train_dataset=dataset).train()

        """#

    static func commands(model: String) -> String {
        """
        # Training a larger model on this run's verified chains

        Run these from this directory on a machine with GPUs (`pip install trl accelerate datasets`,
        then `accelerate config` once).

        Supervised fine-tuning on the kept chains (`sft/train.jsonl`, chat messages):

        ```sh
        trl sft --model_name_or_path \(model) --dataset_name sft --output_dir sft-out \\
            --learning_rate 1e-5 --num_train_epochs 2 --per_device_train_batch_size 8 --max_length 1024
        ```

        GRPO on the training problems (`grpo/train.jsonl`: `prompt` messages and the reference `answer`),
        rewarded by Ponder's verifier (`ponder_reward.py` calls `ponder train reward`; put `ponder` on
        PATH or set `PONDER`):

        ```sh
        accelerate launch grpo.py \(model)
        ```

        `provenance.jsonl` has the same conversations with their round, source (sampled or
        rationalized), seed and problem id.

        """
    }
}
