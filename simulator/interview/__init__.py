"""The interviewer: question sets, the probe policy, and the session loop."""
