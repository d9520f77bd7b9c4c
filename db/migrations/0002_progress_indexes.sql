DROP INDEX `answers_learner_question_idx`;--> statement-breakpoint
CREATE INDEX `answers_learner_created_idx` ON `answers` (`learner_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `answers_learner_question_idx` ON `answers` (`learner_id`,`question_id`,`created_at`,`score`,`verdict`,`time_spent_ms`,`session_id`);