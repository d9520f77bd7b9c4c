CREATE TABLE `review_cards` (
	`learner_id` integer NOT NULL,
	`question_id` text NOT NULL,
	`due` integer NOT NULL,
	`stability` real NOT NULL,
	`difficulty` real NOT NULL,
	`elapsed_days` integer NOT NULL,
	`scheduled_days` integer NOT NULL,
	`learning_steps` integer NOT NULL,
	`reps` integer NOT NULL,
	`lapses` integer NOT NULL,
	`state` integer NOT NULL,
	`last_review` integer,
	`introduced_at` integer NOT NULL,
	PRIMARY KEY(`learner_id`, `question_id`),
	FOREIGN KEY (`learner_id`) REFERENCES `learners`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `review_cards_due_idx` ON `review_cards` (`learner_id`,`due`);--> statement-breakpoint
CREATE TABLE `review_logs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`learner_id` integer NOT NULL,
	`question_id` text NOT NULL,
	`answer_id` integer,
	`rating` integer NOT NULL,
	`card_before` text,
	`reviewed_at` integer NOT NULL,
	FOREIGN KEY (`learner_id`) REFERENCES `learners`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`answer_id`) REFERENCES `answers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `review_logs_card_idx` ON `review_logs` (`learner_id`,`question_id`,`reviewed_at`);--> statement-breakpoint
CREATE INDEX `review_logs_answer_idx` ON `review_logs` (`answer_id`);--> statement-breakpoint
ALTER TABLE `learners` ADD `daily_new_cards` integer DEFAULT 10 NOT NULL;--> statement-breakpoint
ALTER TABLE `learners` ADD `pass_target` real DEFAULT 0.7 NOT NULL;--> statement-breakpoint
ALTER TABLE `practice_sessions` ADD `flagged` text DEFAULT '[]' NOT NULL;