CREATE TABLE `code_attempts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`session_id` integer NOT NULL,
	`learner_id` integer NOT NULL,
	`question_id` text NOT NULL,
	`attempt` integer NOT NULL,
	`code` text NOT NULL,
	`verdict` text NOT NULL,
	`score` real NOT NULL,
	`seed` integer NOT NULL,
	`feedback` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`session_id`) REFERENCES `practice_sessions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`learner_id`) REFERENCES `learners`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `code_attempts_session_question_attempt_uq` ON `code_attempts` (`session_id`,`question_id`,`attempt`);--> statement-breakpoint
ALTER TABLE `answers` ADD `revealed_at` integer;